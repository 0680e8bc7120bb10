/**
 * What the session gives a request:
 * - `token`: send it; `epoch` names the sign-in it belongs to (a sign-in, sign-out or switch of user starts a new one).
 * - `none`: signed out, send without credentials.
 * - `ended`: the session ended (or switched user) while the request waited: do not send it.
 */
export type CredentialGrant = TokenGrant | {readonly kind: 'none'} | {readonly kind: 'ended'};

/** A token to send, and the epoch (sign-in) it belongs to. */
export interface TokenGrant {
	readonly kind: 'token';
	/** The access token. */
	readonly token: string;
	/** The token's `tokenType`, when the token response named one. */
	readonly tokenType: string | undefined;
	/** The sign-in this token belongs to; a request is only ever retried within its epoch. */
	readonly epoch: number;
}

/** What the 401's `WWW-Authenticate` asked of the refresh it causes. */
export interface RejectionChallenge {
	/** The decoded `claims` of an `insufficient_claims` challenge: passed to `refresh` as `context.claims`. */
	readonly claims?: string | undefined;
}

/**
 * The contract between a session and the adapters that send requests with it (the ky client,
 * `createAuthFetch`, credential schemes, framework bindings in their own entry points). Applications call
 * `session.getAccessToken()` instead.
 *
 * @example
 * ```ts
 * declare const session: AuthSession;
 * const grant = await session.credentials.acquire();
 * if (grant.kind === 'token') console.log(grant.epoch);
 * ```
 */
export interface SessionCredentials {
	/**
	 * The token to send now, waiting for a refresh when it is expired or was rejected. Synchronous on the
	 * hot path (a usable token); may throw the signal's reason instead of rejecting when it is aborted.
	 */
	acquire(signal?: AbortSignal): CredentialGrant | Promise<CredentialGrant>;
	/**
	 * The server answered 401 to `grant`: refresh once (shared with every other request) if it is still the
	 * current token, then the token to retry with. `ended` when the epoch changed (never a token of another
	 * sign-in); `none` when there is no way to refresh.
	 */
	rejected(grant: TokenGrant, signal?: AbortSignal, challenge?: RejectionChallenge): Promise<CredentialGrant>;
	/** Whether the caller runs inside this session's own refresh (always `false` where it cannot be known). */
	insideRefresh(): boolean;
}
