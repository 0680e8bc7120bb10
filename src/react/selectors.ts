import type {AuthSnapshot} from '../types/session.js';

/**
 * Whether a user is signed in: `true` while the session holds tokens, *including* while they are being
 * refreshed (`status: 'refreshing'`) and after a failed refresh (the tokens are kept). So a component that
 * selects it does not re-render when a background refresh starts, ends or changes `expiresAt`; it
 * re-renders on sign-in and sign-out only. `false` until the store has been read (`ready: false`): see
 * {@link signInState} to tell "not known yet" apart.
 *
 * @example
 * ```ts
 * const signedIn = useAuth(session, isSignedIn);
 * ```
 */
export function isSignedIn(snapshot: AuthSnapshot): boolean {
	return snapshot.status !== 'signedOut';
}

/** What {@link signInState} answers: `unknown` until the store has been read (and on the server). */
export type SignInState = 'unknown' | 'signedIn' | 'signedOut';

/**
 * Whether a user is signed in, with "not known yet" apart: `unknown` before the store has been read (and
 * always on the server and while hydrating, see {@link serverSnapshot}), then `signedIn` or `signedOut`
 * as {@link isSignedIn} decides (a refresh is still `signedIn`). Render a placeholder for `unknown` rather
 * than a "Sign in" link that flickers into "Sign out".
 *
 * @example
 * ```ts
 * const state = useAuth(session, signInState); // 'unknown' | 'signedIn' | 'signedOut'
 * ```
 */
export function signInState(snapshot: AuthSnapshot): SignInState {
	if (!snapshot.ready) {
		return 'unknown';
	}
	return isSignedIn(snapshot) ? 'signedIn' : 'signedOut';
}

/**
 * Shallow equality for selectors that return a new object or array each time: equal when both have the
 * same own keys (or length) with `Object.is`-equal values. Pass it as `useAuth`'s `isEqual`.
 *
 * @example
 * ```ts
 * const { status, ready } = useAuth(session, s => ({ status: s.status, ready: s.ready }), shallowEqual);
 * ```
 */
export function shallowEqual<T>(a: T, b: T): boolean {
	if (Object.is(a, b)) {
		return true;
	}
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null
		|| Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) {
		return false;
	}
	const entriesA: Array<[string, unknown]> = Object.entries(a);
	const valuesB = new Map<string, unknown>(Object.entries(b));
	return entriesA.length === valuesB.size && entriesA.every(([key, value]) => valuesB.has(key) && Object.is(value, valuesB.get(key)));
}
