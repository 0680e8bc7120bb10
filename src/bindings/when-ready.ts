import {dev} from '../utils/dev.js';
import type {AuthSnapshot} from '../types/session.js';
import {invalid, isRecord} from '../utils/validate.js';
import {checkSession, type AuthSnapshotSource} from './session-source.js';

/** Options of {@link whenReady}. */
export interface WhenReadyOptions {
	/** Stops waiting: the promise rejects with the signal's reason, and the session listener is removed. */
	signal?: AbortSignal | undefined;
}

/**
 * Resolves with the session's snapshot once its store has been read (`ready`). With a synchronous store
 * (`memoryStore`, `webStorageStore`) the session is ready from the start and the promise is already resolved;
 * with `indexedDbStore` it resolves after the first read. Await it in a router guard or a SvelteKit `load` before deciding from
 * `status`, which reads `signedOut` until then. Exported by `ky-auth/vue` and `ky-auth/svelte` (it needs neither).
 *
 * It only listens: when the first read of the store failed, the session reads it again at its next request
 * (`getAccessToken`, a client call), and the promise resolves then. Pass a `signal` to bound the wait.
 *
 * @param session - The session (any object with `getSnapshot()` and `subscribe()`).
 * @param options - See {@link WhenReadyOptions}.
 * @throws TypeError when `session` is not a session or `options.signal` is not an `AbortSignal`.
 *
 * @example
 * ```ts
 * import { whenReady } from 'ky-auth/vue';
 * import type { AuthSession } from 'ky-auth';
 * declare const session: AuthSession;
 *
 * const { status } = await whenReady(session, { signal: AbortSignal.timeout(5000) });
 * ```
 */
export function whenReady(session: AuthSnapshotSource, options?: WhenReadyOptions): Promise<AuthSnapshot> {
	checkSession('whenReady', session);
	if (options !== undefined && !isRecord(options)) {
		invalid('whenReady: options', 'an object', options);
	}
	const signal = options?.signal;
	if (signal !== undefined && !(signal instanceof AbortSignal)) {
		invalid('whenReady: options.signal', dev ? 'an AbortSignal' : '', signal);
	}
	return readySnapshot(session, signal);
}

/** Waits for a ready snapshot (or the signal), listening only while it waits. */
async function readySnapshot(session: AuthSnapshotSource, signal: AbortSignal | undefined): Promise<AuthSnapshot> {
	const current = session.getSnapshot();
	if (current.ready) {
		return current;
	}
	signal?.throwIfAborted();
	const snapshot = await new Promise<AuthSnapshot | null>(resolve => {
		const finish = (value: AuthSnapshot | null) => {
			unsubscribe();
			signal?.removeEventListener('abort', onAbort);
			resolve(value);
		};
		const onAbort = () => finish(null);
		const unsubscribe = session.subscribe(() => {
			const next = session.getSnapshot();
			if (next.ready) {
				finish(next);
			}
		});
		signal?.addEventListener('abort', onAbort, {once: true});
	});
	if (snapshot === null) {
		// Aborted while waiting: reject with the signal's reason, as fetch() does.
		throw signal?.reason;
	}
	return snapshot;
}
