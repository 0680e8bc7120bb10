import {useCallback, useDebugValue, useEffect, useMemo, useRef, useSyncExternalStore} from 'react';
import type {AuthSnapshot} from '../types/session.js';
import {optionalFunction} from '../utils/validate.js';
import {memoizeSelector, nothingCommitted, type CommittedSelection} from './memoize-selector.js';
import {serverSnapshot} from './server-snapshot.js';
import {checkSession, type AuthSnapshotSource} from '../bindings/session-source.js';

/** Picks what a component needs from the session's {@link AuthSnapshot}. Must be pure; called on the server snapshot too. */
export type AuthSelector<T> = (snapshot: AuthSnapshot) => T;

/** Decides whether two selections are the same for rendering purposes (`Object.is` when none is given). */
export type SelectionEquality<T> = (a: T, b: T) => boolean;

const where = 'useAuth';
const wholeSnapshot: AuthSelector<AuthSnapshot> = snapshot => snapshot;
const getServerSnapshot = (): AuthSnapshot => serverSnapshot;

/**
 * Reads a session in a React component, through `useSyncExternalStore`: no provider, no effect that
 * refreshes (StrictMode's double render and double effects never start a refresh), no tearing (every
 * component shows the same state in a commit), and a constant server snapshot ({@link serverSnapshot}:
 * signed out, `ready: false`) on the server and while hydrating, so hydration never mismatches; React
 * re-renders with the session's real snapshot right after.
 *
 * Without `selector`, returns the whole {@link AuthSnapshot} and re-renders on every change, including each
 * background refresh (`status` passes through `refreshing`, `expiresAt` moves). With `selector`, the
 * component re-renders only when the selection changes (compared with `Object.is`, or `isEqual`):
 * `useAuth(session, isSignedIn)` re-renders on sign-in and sign-out only. A selector that builds an object
 * or array needs `isEqual` (e.g. {@link shallowEqual}), or it re-renders on every snapshot change.
 * Selectors may be written inline.
 *
 * @param session - Any session (`createAuthSession`, `createMachineSession`): what it needs is `subscribe` and `getSnapshot`.
 * @param selector - Picks a slice of the snapshot; pure.
 * @param isEqual - Equality of two selections.
 * @throws {TypeError} When `session` has no `subscribe`/`getSnapshot`, or `selector`/`isEqual` is given and not a function.
 * @example
 * ```tsx
 * function AccountLink() {
 *   const state = useAuth(session, signInState);
 *   if (state === 'unknown') return <span aria-busy={true}>…</span>;
 *   return state === 'signedIn' ? <a href="/account">Account</a> : <a href="/login">Sign in</a>;
 * }
 * ```
 */
export function useAuth(session: AuthSnapshotSource): AuthSnapshot;
export function useAuth<T>(session: AuthSnapshotSource, selector: AuthSelector<T>, isEqual?: SelectionEquality<T>): T;
export function useAuth(session: AuthSnapshotSource, selector?: AuthSelector<unknown>, isEqual?: SelectionEquality<unknown>): unknown {
	checkSession(`${where}: session`, session);
	optionalFunction(`${where}: selector`, selector);
	optionalFunction(`${where}: isEqual`, isEqual);
	return useSelected(session, selector ?? wholeSnapshot, isEqual);
}

/** The same hooks in the same order whether a selector is given or not. */
function useSelected<T>(session: AuthSnapshotSource, selector: AuthSelector<T>, isEqual: SelectionEquality<T> | undefined): T {
	// Keyed by the session: React resubscribes only when another session is passed.
	const subscribe = useCallback((onChange: () => void) => session.subscribe(onChange), [session]);
	const committed = useRef<CommittedSelection<T>>(nothingCommitted);
	const [getSelection, getServerSelection] = useMemo((): readonly [() => T, () => T] => {
		const select = memoizeSelector<AuthSnapshot, T>(selector, isEqual, committed);
		return [() => select(session.getSnapshot()), () => select(getServerSnapshot())];
	}, [session, selector, isEqual]);
	const selection = useSyncExternalStore<T>(subscribe, getSelection, getServerSelection);
	useEffect(() => {
		committed.current = {hasValue: true, value: selection};
	}, [selection]);
	useDebugValue(selection);
	return selection;
}
