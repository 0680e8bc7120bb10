/** What a request gets from the session. */
export type Acquired =
	| {readonly kind: 'token'; readonly token: string; readonly tokenType: string | undefined}
	| {readonly kind: 'none'}
	| {readonly kind: 'ended'};

/** The session's side of the HTTP adapters; not part of the public API. */
export interface SessionInternals {
	/**
	 * The token to send now (waiting for a refresh when needed), `none` when signed out, `ended` when the
	 * session ended while waiting. Synchronous on the hot path; may throw (an aborted signal) instead of rejecting.
	 */
	acquire(signal?: AbortSignal): Acquired | Promise<Acquired>;
	/** The server answered 401 to `token`: refresh once if it is still current, then acquire. `none`: surface the 401. */
	rejected(token: string, signal?: AbortSignal): Promise<Acquired>;
	/** Whether the caller runs inside this session's own refresh (Node only). */
	insideRefresh(): boolean;
}

/** The key under which a ky-auth session exposes its {@link SessionInternals}. */
export const internalsKey: unique symbol = Symbol('ky-auth.session-internals');

/** A session made by `createAuthSession`. */
export interface InternalSession {
	readonly [internalsKey]: SessionInternals;
}

export const NONE: Acquired = Object.freeze({kind: 'none'});
export const ENDED: Acquired = Object.freeze({kind: 'ended'});
