import type {RefreshFunction} from '../types/tokens.js';
import {readTokenEndpointOptions} from './config.js';
import type {RefreshTokenGrantOptions} from './options.js';
import {requestTokens} from './token-request.js';

/**
 * A `refresh` function for a user session: each call spends `tokens.refreshToken` with the OAuth
 * `refresh_token` grant (RFC 6749 §6). A rotated refresh token in the answer replaces the old one; an answer
 * without one keeps it.
 *
 * Outcomes: the new tokens (`expiresAt` counted from when the request was sent); `null` (the sign-in is over)
 * when there is no refresh token or the endpoint answers `invalid_grant` (expired, revoked or already used); a
 * `ConfigurationError` when the endpoint refuses the client (`invalid_client`, `unauthorized_client`,
 * `unsupported_grant_type`, `invalid_scope`, `invalid_request`, `invalid_target`); a `RefreshError`
 * `REFRESH_FAILED` otherwise (network error, 429 or 5xx with the server's `Retry-After` as `retryAfter`, a
 * redirect, a malformed answer), after which the tokens are kept.
 *
 * A 200 that carries a new refresh token is handed to the session (`RefreshContext.keep`) before the answer is
 * checked: when a check then refuses it (`REFRESH_FAILED`), the session still holds the rotated refresh token
 * (with the access token taken as expired), so the spent one is never presented again.
 *
 * An ID token in the answer (an OpenID provider sends one when `openid` was granted) is checked only when
 * `issuer` is configured, against it; without `issuer` it is not checked and not used.
 *
 * With `dpop` (`dpop()` of `ky-auth/dpop`), each request carries a DPoP proof and a DPoP-bound answer gives
 * `tokenType: 'DPoP'`; a `400 use_dpop_nonce` is sent again once with the server's nonce.
 *
 * @throws TypeError at once when an option is invalid.
 *
 * @example
 * ```ts
 * import { createAuthSession } from 'ky-auth';
 * import { none, refreshTokenGrant } from 'ky-auth/oauth';
 *
 * const session = createAuthSession({
 *   refresh: refreshTokenGrant({
 *     tokenEndpoint: 'https://auth.example.com/oauth/token',
 *     clientId: 'web-app',
 *     clientAuthentication: none(),
 *   }),
 * });
 * ```
 */
export function refreshTokenGrant(options: RefreshTokenGrantOptions): RefreshFunction {
	const config = readTokenEndpointOptions('refreshTokenGrant', options);
	return async ({tokens, signal, keep}) => {
		const refreshToken = tokens?.refreshToken;
		if (refreshToken === undefined || refreshToken === '') {
			return null;
		}
		return requestTokens(config, {type: 'refresh_token', refreshToken, keep}, signal, 'signed-out');
	};
}
