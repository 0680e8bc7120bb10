/**
 * The credentials a session holds, as your token endpoint returns them.
 *
 * @example
 * ```ts
 * const tokens: TokenSet = { accessToken: 'eyJ…', refreshToken: 'r1', expiresIn: 3600 };
 * ```
 */
export interface TokenSet {
	/** The access token sent as `Authorization: <scheme> <accessToken>`: visible ASCII only, as a header requires. */
	accessToken: string;
	/** The refresh token your `refresh` callback spends. When a refresh result omits it, the previous one is kept. */
	refreshToken?: string | undefined;
	/** Absolute expiry of the access token, in epoch milliseconds. Wins over `expiresIn` and the JWT `exp`. */
	expiresAt?: number | undefined;
	/** Lifetime in seconds, as in an OAuth token response (`expires_in`); anchored at the moment the tokens arrived. */
	expiresIn?: number | undefined;
	/** Token type from the token response (`token_type`, an HTTP scheme token), used as the authorization scheme unless `authScheme` is set. */
	tokenType?: string | undefined;
	/** Granted scope, space separated, as in an OAuth token response. */
	scope?: string | undefined;
}

/**
 * Why a refresh runs.
 * - `expiring`: the token is inside the refresh window; requests keep using it meanwhile.
 * - `expired`: the token has expired; requests wait for the refresh.
 * - `unauthorized`: the server answered 401 to the current token; requests wait for the refresh.
 * - `manual`: `session.refresh()` was called.
 * - `initial`: a machine session holds no token yet (or any more) and a request needs one.
 */
export type RefreshReason = 'expiring' | 'expired' | 'unauthorized' | 'manual' | 'initial';

/**
 * What your `refresh` callback receives.
 *
 * @example
 * ```ts
 * const refresh = async ({ tokens, signal }: RefreshContext) => {
 *   const res = await fetch('/oauth/token', { method: 'POST', signal, body: new URLSearchParams({
 *     grant_type: 'refresh_token', refresh_token: tokens?.refreshToken ?? '' }) });
 *   if (res.status === 400) return null; // the refresh token is dead: the session is over
 *   const body = await res.json();
 *   return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in };
 * };
 * ```
 */
export interface RefreshContext {
	/**
	 * The tokens being replaced (of the newest generation stored, read inside the store's lock), or `null`
	 * when signed out (a manual refresh, e.g. with a refresh cookie). Spend `tokens.refreshToken`.
	 */
	tokens: TokenSet | null;
	/** Why the refresh runs. */
	reason: RefreshReason;
	/**
	 * Aborted 30 s after `refreshTimeout` (the waiting requests fail at `refreshTimeout`; an answer until then is still
	 * kept): pass it to your token request. A sign-in, sign-out or dispose does
	 * not abort it, because the refresh token may already have reached the server: the result is committed by
	 * compare-and-set (never over that sign-in or sign-out) so that no other holder spends the same refresh token.
	 */
	signal: AbortSignal;
	/**
	 * The claims challenge of the 401 that asked for this refresh (`error="insufficient_claims"` with
	 * `claims=…`, as Microsoft Entra sends for Conditional Access), base64-decoded when it was encoded: send it as
	 * the `claims` parameter of your token request. Absent for every other refresh.
	 */
	claims?: string | undefined;
	/**
	 * Hands over tokens the server has issued, before your refresh checks its answer. Call it as soon as a
	 * token endpoint's 200 carrying a refresh token is in hand: if your refresh then throws (a check of the
	 * answer fails) or runs past `refreshTimeout`, ky-auth still commits the kept tokens, because their refresh
	 * token is the only valid one now and the one just spent must never be presented again. The access token of
	 * a kept answer is treated as expired (it came from an answer you rejected), so the next request refreshes
	 * with the kept refresh token; the requests that waited fail with your error. Returning tokens supersedes
	 * what was kept. `ky-auth/oauth`'s grants call it for you. Absent only when you call your refresh yourself.
	 *
	 * @throws {TypeError} When `tokens` is not a {@link TokenSet}.
	 */
	keep?: ((tokens: TokenSet) => void) | undefined;
}

/**
 * Obtains new tokens. Resolve with a {@link TokenSet}, or `null` when the session is over
 * (the refresh token was rejected). Throwing means "failed this time": the tokens are kept.
 */
export type RefreshFunction = (context: RefreshContext) => Promise<TokenSet | null>;
