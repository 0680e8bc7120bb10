import type {RefreshError} from '../errors/refresh-error.js';
import type {StoreError} from '../errors/store-error.js';
import type {AutoRefresh} from './auto-refresh.js';
import type {SessionCredentials} from './credentials.js';
import type {TokenStore} from './store.js';
import type {RefreshFunction, RefreshReason, TokenSet} from './tokens.js';

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
	store?: TokenStore | undefined;
	/**
	 * Obtains new tokens. Without it, a 401 simply surfaces as `AuthenticationError`
	 * and an expired token ends in `AuthenticationError` with code `SESSION_ENDED`.
	 * @default undefined
	 */
	refresh?: RefreshFunction | undefined;
	/**
	 * Milliseconds before expiry at which a background refresh starts. Capped at half the token's
	 * remaining lifetime when it arrived, so short-lived tokens are not refreshed on every request.
	 * @default 60000
	 */
	refreshWindow?: number | undefined;
	/**
	 * Milliseconds a refresh may take (including waiting for another tab's lock) before it fails with
	 * `RefreshError` code `REFRESH_TIMEOUT` and its signal is aborted. At most 2147483647 (what a timer holds).
	 * Also bounds the first asynchronous read of the store.
	 * @default 30000
	 */
	refreshTimeout?: number | undefined;
	/**
	 * The clock, in epoch milliseconds. Inject one in tests.
	 * @default () => Date.now()
	 */
	now?: (() => number) | undefined;
	/**
	 * Renew the token in the refresh window even when no request asks for it: pass the `autoRefresh` export
	 * (`import { autoRefresh } from 'ky-auth'`, then `{ refresh, autoRefresh }`). Without it the session carries
	 * no timer, and a bundle that never imports it carries none of its code. `true` (what ky-auth 0.1 took) is refused
	 * with a `TypeError` that names the export. See the `autoRefresh` export for how it renews and backs off.
	 * @default undefined (no renewal without a request)
	 */
	autoRefresh?: AutoRefresh | false | undefined;
	/**
	 * Called by `signOut()` with the tokens it forgot, once the sign-out is done here (the store written): revoke
	 * them at the server with `revokeOnSignOut()` of `ky-auth/oauth` (RFC 7009). Best effort: `signOut()` never
	 * waits for it, and what it throws or rejects with is dropped (handle failures inside it). Not called when
	 * nobody was signed in, nor for a sign-out made elsewhere (another tab's `signOut()` calls its own).
	 * @default undefined
	 */
	onSignOut?: ((tokens: TokenSet) => unknown) | undefined;
}

/**
 * Options of {@link createMachineSession}: those of a user session, with `refresh` required (it obtains the
 * token: `tokens` is `null` on the first call), plus the backoff between failed attempts.
 *
 * @example
 * ```ts
 * declare const obtainToken: RefreshFunction;
 * const options: MachineSessionOptions = { refresh: obtainToken, retry: { initialDelay: 500, maxDelay: 60_000 } };
 * ```
 */
export interface MachineSessionOptions extends Omit<AuthSessionOptions, 'refresh'> {
	/** Obtains a token (client credentials, a service account): called with `tokens: null` and reason `initial` when none is held. */
	refresh: RefreshFunction;
	/** How long to wait after a failed attempt before the token endpoint is called again. */
	retry?: {
		/**
		 * Milliseconds after the first failure; doubles with each failure in a row (±20 % jitter).
		 * @default 1000
		 */
		initialDelay?: number | undefined;
		/**
		 * The longest wait; a `ConfigurationError` (the endpoint refused the client) waits this long at once.
		 * @default 60000
		 */
		maxDelay?: number | undefined;
	} | undefined;
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
 * The events of an {@link AuthSession}, by name. Event names are lowercase, as DOM events are; they map to
 * the snapshot's `status` like this: `signedin` fires when it becomes `signedIn`, `signedout` when it
 * becomes `signedOut`; `refresh` ends a `refreshing` status with new tokens, `refresherror` without.
 *
 * @example
 * ```ts
 * declare const session: AuthSession;
 * session.addEventListener('refresh', (event) => console.log(event.detail.reason, event.detail.expiresAt));
 * ```
 */
export interface AuthSessionEventMap {
	/**
	 * A refresh this session ran or waited on produced new tokens: its own result, or a newer generation another
	 * holder stored, found inside the lock. Tokens another holder refreshed that arrive through the store's change
	 * notification update the snapshot without this event.
	 */
	refresh: CustomEvent<{readonly reason: RefreshReason; readonly expiresAt: number | null}>;
	/** A refresh failed; requests that waited for it rejected with this error. The tokens are kept. */
	refresherror: CustomEvent<RefreshError>;
	/**
	 * A new sign-in: `signIn()` here (fires after the store write, also when that write failed), or another holder's
	 * sign-in adopted from the store.
	 */
	signedin: CustomEvent<{readonly expiresAt: number | null}>;
	/**
	 * The session holds no tokens any more: `signOut` (after the store write landed), a refresh that returned
	 * `null`, or another holder signed out. Fires once per sign-in.
	 */
	signedout: Event;
	/** Writing the store after a refresh failed; the new tokens stay in memory (and are written again at the next change). */
	storeerror: CustomEvent<StoreError>;
}

/** A listener of the session event `K`. */
export type AuthSessionListener<K extends keyof AuthSessionEventMap> = (event: AuthSessionEventMap[K]) => void;

/**
 * A token session: the single owner of one user's tokens and of their refresh.
 * Share one per user between every client and fetch made from it. Its events are typed by
 * {@link AuthSessionEventMap}: an unknown event name does not compile.
 */
export interface AuthSession {
	/**
	 * The access token to send now: waits for a refresh when the token is expired or was rejected,
	 * starts a background refresh inside the refresh window. `null` when signed out.
	 */
	getAccessToken(options?: {signal?: AbortSignal | undefined}): Promise<string | null>;
	/** Refreshes now (joins a refresh already running). Resolves `null` when the session ended. */
	refresh(): Promise<TokenSet | null>;
	/**
	 * Stores new tokens (after a login) as a new sign-in: a refresh of the previous one still in flight is
	 * abandoned and nothing started before is retried with these tokens. Throws `TypeError` for anything
	 * that is not a `TokenSet`; rejects with `StoreError` when the store write fails (the tokens are held anyway).
	 */
	signIn(tokens: TokenSet): Promise<void>;
	/**
	 * Clears the tokens and the store. A running refresh is abandoned (it can never undo the sign-out) and
	 * its waiters reject with `AuthenticationError` `SESSION_ENDED`. `signedout` fires after the store write.
	 */
	signOut(): Promise<void>;
	/**
	 * Ends this holder: stops listening to the store, and requests waiting for a refresh end at once with
	 * `SESSION_ENDED`; later requests too. A refresh already in flight is not abandoned (its refresh token
	 * may have reached the server): it finishes, commits for the other holders and releases the lock, bounded
	 * by `refreshTimeout`. The stored tokens stay for the other holders. Idempotent.
	 */
	dispose(): void;
	/** The current {@link AuthSnapshot} (stable identity between changes: `useSyncExternalStore`-ready). */
	getSnapshot(): AuthSnapshot;
	/** Calls `listener` after every snapshot change; returns the unsubscribe function. */
	subscribe(listener: () => void): () => void;
	/** The contract the HTTP adapters and bindings use (see {@link SessionCredentials}). */
	readonly credentials: SessionCredentials;
	/** Listens to a session event (see {@link AuthSessionEventMap}). */
	addEventListener<K extends keyof AuthSessionEventMap>(type: K, listener: AuthSessionListener<K>, options?: AddEventListenerOptions | boolean): void;
	/** Stops listening to a session event. */
	removeEventListener<K extends keyof AuthSessionEventMap>(type: K, listener: AuthSessionListener<K>, options?: EventListenerOptions | boolean): void;
}
