import {onMount} from 'svelte';
import {derived, readable, type Readable} from 'svelte/store';
import type {AuthSnapshot} from '../types/session.js';
import {invalid} from '../utils/validate.js';
import {checkSession, type AuthSnapshotSource} from '../bindings/session-source.js';
import {serverSnapshot} from '../bindings/server-snapshot.js';

/**
 * The session's {@link AuthSnapshot} as a Svelte readable store: `$auth.status`, `$auth.ready` in a component,
 * `fromStore(auth).current` with Svelte 5 runes, `get(auth)` anywhere.
 *
 * It follows the store contract exactly (it is built on `readable` from `svelte/store`): `subscribe(run)` calls
 * `run` at once, synchronously, with the current snapshot, then after every change, and returns the
 * unsubscriber. The session is subscribed to only while the store has subscribers: from the first one, and no
 * longer once the last has left (a snapshot taken in between is caught up at the next first subscriber).
 *
 * Server rendering and hydration: made while a component initialises (in its `<script>`), the store holds
 * {@link serverSnapshot} (signed out, `ready: false`) until that component has mounted, then the session's
 * snapshot. A server render never mounts, so it shows the constant whatever its session holds, and hydration
 * renders exactly what the server did; the switch comes right after. Made outside a component (at module
 * level), the store follows the session at once in the browser: such a store is for pages rendered in the
 * browser only (SvelteKit `export const ssr = false`, a Vite SPA).
 *
 * @param session - The session to follow (any object with `getSnapshot()` and `subscribe()`).
 * @throws TypeError when `session` is not one.
 *
 * @example
 * ```ts
 * import { readableAuth } from 'ky-auth/svelte';
 * import type { AuthSession } from 'ky-auth';
 * declare const session: AuthSession;
 *
 * export const auth = readableAuth(session);
 * const stop = auth.subscribe((snapshot) => console.log(snapshot.status)); // logs at once
 * stop();
 * ```
 */
export function readableAuth(session: AuthSnapshotSource): Readable<AuthSnapshot>;
/**
 * One value computed from the session's snapshot, as a Svelte readable store (a `derived` store). Subscribers
 * are called again only when the selected value changes by Svelte's rules: a primitive (`boolean`, `string`,
 * `number`, `null`) that stays equal calls no one, so a store of "signed in?" stays quiet through background
 * refreshes; an object or function counts as a change every time, so select primitives.
 *
 * @param session - The session to follow (any object with `getSnapshot()` and `subscribe()`).
 * @param select - Computes the value from a snapshot (the {@link serverSnapshot} too, until mounted, when made in a component); called on every snapshot change while subscribed.
 * @throws TypeError when `session` is not a session or `select` is not a function.
 *
 * @example
 * ```ts
 * import { readableAuth } from 'ky-auth/svelte';
 * import type { AuthSession } from 'ky-auth';
 * declare const session: AuthSession;
 *
 * export const signedIn = readableAuth(session, (snapshot) => snapshot.status !== 'signedOut');
 * ```
 */
export function readableAuth<T>(session: AuthSnapshotSource, select: (snapshot: AuthSnapshot) => T): Readable<T>;
export function readableAuth<T>(session: AuthSnapshotSource, select?: (snapshot: AuthSnapshot) => T): Readable<AuthSnapshot> | Readable<T> {
	checkSession('readableAuth', session);
	if (select !== undefined && typeof select !== 'function') {
		invalid('readableAuth: select', 'a function', select);
	}
	const gate = {server: false};
	let publish: (() => void) | undefined;
	const current = (): AuthSnapshot => (gate.server ? serverSnapshot : session.getSnapshot());
	gate.server = afterMount(() => {
		gate.server = false;
		publish?.();
	});
	const snapshots = readable(current(), set => {
		publish = () => set(current());
		// What changed while no one listened: the first subscriber gets the current snapshot, not a stale one.
		publish();
		const unsubscribe = session.subscribe(() => publish?.());
		return () => {
			publish = undefined;
			unsubscribe();
		};
	});
	return select === undefined ? snapshots : derived(snapshots, snapshot => select(snapshot));
}

/**
 * Runs `live` once the component being initialised has mounted, and says whether there is one. On the server
 * Svelte's `onMount` does nothing (a server render never mounts): the store keeps the server snapshot. Outside
 * a component, in the browser, `onMount` throws, and the store follows the session at once.
 */
function afterMount(live: () => void): boolean {
	try {
		onMount(live);
		return true;
	} catch {
		return false;
	}
}
