import {hasBroadcastChannel} from './broadcast.js';
/** A `TokenStore.lock`: runs `task` while holding an exclusive lock; aborting `signal` stops the wait. */
export type LockFunction = <T>(task: () => Promise<T>, signal: AbortSignal) => Promise<T>;

interface LockRequestOptions {
	mode: 'exclusive';
	signal?: AbortSignal;
	steal?: boolean;
}

interface LockManagerLike {
	request<T>(name: string, options: LockRequestOptions, task: () => Promise<T>): Promise<T>;
}

/** Options of {@link webLock}. */
export interface WebLockOptions {
	/**
	 * Milliseconds of waiting after which the lock is taken from its holder (`steal: true`), for a holder
	 * that never releases it (a hung tab; a closed tab's lock is released by the browser). Each waiter's
	 * clock restarts whenever another tab or instance is granted the lock, and runs up to 10% longer at
	 * random, so waiters queued behind one hung holder do not all steal at once.
	 * @default undefined (never steal)
	 */
	stealAfter?: number;
}

/** Why the wait for the lock was abandoned in order to steal it (never seen by callers). */
const stealing = Symbol('steal');

function lockManager(): LockManagerLike | undefined {
	const locks = (globalThis as {navigator?: {locks?: LockManagerLike}}).navigator?.locks;
	return locks && typeof locks.request === 'function' ? locks : undefined;
}

/**
 * Watches who holds the lock `name` while this caller waits: calls `expire` once the current holder has
 * kept it `stealAfter` ms (plus jitter) since this wait began or since the last grant announced by another
 * waiter. {@link HolderWatch.granted} announces this caller's own grant to the others.
 */
class HolderWatch {
	readonly #channel: BroadcastChannel | undefined;
	#timer: ReturnType<typeof setTimeout> | undefined;

	constructor(name: string, stealAfter: number, expire: () => void) {
		const restart = (): void => {
			clearTimeout(this.#timer);
			this.#timer = setTimeout(expire, stealAfter * (1 + Math.random() / 10));
		};
		restart();
		if (hasBroadcastChannel()) {
			this.#channel = new BroadcastChannel(`ky-auth-lock:${name}`);
			this.#channel.onmessage = restart;
		}
	}

	/** Tells the other waiters that the lock changed hands, then stops watching. */
	granted(): void {
		this.#channel?.postMessage('granted');
		this.stop();
	}

	stop(): void {
		clearTimeout(this.#timer);
		this.#channel?.close();
	}
}

async function requestOrSteal<T>(locks: LockManagerLike, name: string, task: () => Promise<T>, signal: AbortSignal, stealAfter: number): Promise<T> {
	signal.throwIfAborted();
	const waiting = new AbortController();
	const giveUp = (): void => waiting.abort(signal.reason);
	signal.addEventListener('abort', giveUp, {once: true});
	const watch = new HolderWatch(name, stealAfter, () => waiting.abort(stealing));
	let granted = false;
	const run = async (): Promise<T> => {
		granted = true;
		signal.removeEventListener('abort', giveUp);
		watch.granted();
		return task();
	};
	try {
		return await locks.request(name, {mode: 'exclusive', signal: waiting.signal}, run);
	} catch (error) {
		if (granted || waiting.signal.reason !== stealing) {
			throw error;
		}
		// The holder kept the lock too long: take it. Its task keeps running, but it no longer holds the lock.
		return await locks.request(name, {mode: 'exclusive', steal: true}, run);
	} finally {
		signal.removeEventListener('abort', giveUp);
		watch.stop();
	}
}

/**
 * A `TokenStore.lock` over the Web Locks API (`navigator.locks`), shared by every tab of the origin;
 * `undefined` where the API is missing, so the session refreshes without a cross-tab lock.
 * A closed tab's lock is released by the browser; with `stealAfter`, a holder that never releases is
 * robbed of the lock after that long (a hung tab's task keeps running without it: compare-and-set on
 * the store keeps it from overwriting newer tokens).
 *
 * @example
 * ```ts
 * const lock = webLock('ky-auth:app.auth', { stealAfter: 30_000 });
 * ```
 */
export function webLock(name: string, options: WebLockOptions = {}): LockFunction | undefined {
	const locks = lockManager();
	if (!locks) {
		return undefined;
	}
	const {stealAfter} = options;
	if (stealAfter === undefined) {
		return async (task, signal) => locks.request(name, {mode: 'exclusive', signal}, task);
	}
	return async (task, signal) => requestOrSteal(locks, name, task, signal, stealAfter);
}
