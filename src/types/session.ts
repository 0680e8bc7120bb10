import type {TokenStore} from './store.js';
import type {RefreshFunction, TokenSet} from './tokens.js';

/**
 * Options of {@link createAuthSession}.
 *
 * @example
 * ```ts
 * const session = createAuthSession({ store: memoryStore(), refresh: callTokenEndpoint, refreshWindow: 30_000 });
 * ```
 */
export interface AuthSessionOptions {
	/**
	 * Where tokens live.
	 * @default memoryStore()
	 */
	store?: TokenStore;
	/**
	 * Obtains new tokens. Without it, a 401 simply surfaces as `AuthenticationError`
	 * and an expired token ends in `AuthenticationError` with code `SESSION_ENDED`.
	 * @default undefined
	 */
	refresh?: RefreshFunction;
	/**
	 * Milliseconds before expiry at which a background refresh starts. Capped at half the token's
	 * remaining lifetime when it arrived, so short-lived tokens are not refreshed on every request.
	 * @default 60000
	 */
	refreshWindow?: number;
	/**
	 * Milliseconds a refresh may take (including waiting for another tab's lock) before it fails with
	 * `RefreshError` code `REFRESH_TIMEOUT` and its signal is aborted. At most 2147483647 (what a timer holds).
	 * Also bounds the first asynchronous read of the store.
	 * @default 30000
	 */
	refreshTimeout?: number;
	/**
	 * The clock, in epoch milliseconds. Inject one in tests.
	 * @default () => Date.now()
	 */
	now?: () => number;
}

/** The session's state at one moment: immutable, and the same object until something changes. */
export interface AuthSnapshot {
	/** `signedOut` without tokens, `refreshing` while a refresh runs, else `signedIn`. */
	readonly status: 'signedOut' | 'signedIn' | 'refreshing';
	/** When the access token expires (epoch ms), or `null` when unknown or signed out. */
	readonly expiresAt: number | null;
	/** `false` until the store has been read once. */
	readonly ready: boolean;
	/** The last refresh failure, cleared by the next success, sign-in or sign-out. */
	readonly error: Error | null;
}

/**
 * A token session: the single owner of one user's tokens and of their refresh.
 * Share one per user between every client and fetch made from it.
 * Events: `refresh` (new tokens), `refresherror` (detail: the error), `signedin`, `signedout`, `storeerror`.
 */
export interface AuthSession extends EventTarget {
	/**
	 * The access token to send now: waits for a refresh when the token is expired or was rejected,
	 * starts a background refresh inside the refresh window. `null` when signed out.
	 */
	getAccessToken(options?: {signal?: AbortSignal}): Promise<string | null>;
	/** Refreshes now (joins a refresh already running). Resolves `null` when the session ended. */
	refresh(): Promise<TokenSet | null>;
	/** Stores new tokens (after a login). Throws `TypeError` for anything that is not a `TokenSet`. */
	signIn(tokens: TokenSet): Promise<void>;
	/** Clears the tokens; a running refresh is aborted and its waiters reject with `AuthenticationError`. */
	signOut(): Promise<void>;
	/** The current {@link AuthSnapshot} (stable identity between changes: `useSyncExternalStore`-ready). */
	getSnapshot(): AuthSnapshot;
	/** Calls `listener` after every snapshot change; returns the unsubscribe function. */
	subscribe(listener: () => void): () => void;
}
