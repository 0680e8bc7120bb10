import {derived, readable, type Readable} from 'svelte/store';
import type {AuthSnapshot} from '../types/session.js';
import {invalid} from '../utils/validate.js';
import {checkSession, type AuthSnapshotSource} from '../bindings/session-source.js';

/**
 * The session's {@link AuthSnapshot} as a Svelte readable store: `$auth.status`, `$auth.ready` in a component,
 * `fromStore(auth).current` with Svelte 5 runes, `get(auth)` anywhere.
 *
 * It follows the store contract exactly (it is built on `readable` from `svelte/store`): `subscribe(run)` calls
 * `run` at once, synchronously, with the current snapshot, then after every change, and returns the
 * unsubscriber. The session is subscribed to only while the store has subscribers: from the first one, and no
 * longer once the last has left (a snapshot taken in between is caught up at the next first subscriber).
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
 * @param select - Computes the value from a snapshot; called on every snapshot change while subscribed.
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
	const snapshots = readable(session.getSnapshot(), set => {
		// What changed while no one listened: the first subscriber gets the current snapshot, not a stale one.
		set(session.getSnapshot());
		return session.subscribe(() => set(session.getSnapshot()));
	});
	return select === undefined ? snapshots : derived(snapshots, snapshot => select(snapshot));
}
