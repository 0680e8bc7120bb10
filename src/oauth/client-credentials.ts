import type {RefreshFunction} from '../types/tokens.js';
import {readTokenEndpointOptions} from './config.js';
import type {ClientCredentialsOptions} from './options.js';
import {requestTokens} from './token-request.js';

/**
 * A `refresh` function for a machine session: each call asks the token endpoint for a new token with the
 * OAuth `client_credentials` grant (RFC 6749 §4.4), authenticated as the client. It ignores the tokens it is
 * given (there is no refresh token to spend).
 *
 * Outcomes: the new tokens (`expiresAt` counted from when the request was sent); a `ConfigurationError` when the
 * endpoint refuses the client (`invalid_client`, `unauthorized_client`, `unsupported_grant_type`,
 * `invalid_scope`, `invalid_request`, `invalid_target`, and `invalid_grant`, which for this grant can only mean
 * the client is not allowed it); a `RefreshError` `REFRESH_FAILED` otherwise (network error, 429 or 5xx with
 * the server's `Retry-After` as `retryAfter`, a redirect, a malformed answer). It never resolves `null`.
 *
 * With `dpop` (`dpop()` of `ky-auth/dpop`), each request carries a DPoP proof and a DPoP-bound answer gives
 * `tokenType: 'DPoP'`; a `400 use_dpop_nonce` is sent again once with the server's nonce.
 *
 * @throws TypeError at once when an option is invalid (`none()` included: this grant needs a confidential client).
 *
 * @example
 * ```ts
 * import { createMachineSession } from 'ky-auth';
 * import { clientCredentials, clientSecretBasic } from 'ky-auth/oauth';
 *
 * const session = createMachineSession({
 *   refresh: clientCredentials({
 *     tokenEndpoint: 'https://auth.example.com/oauth/token',
 *     clientId: 'reports-service',
 *     clientAuthentication: clientSecretBasic(process.env.CLIENT_SECRET ?? ''),
 *     scope: 'reports:read',
 *   }),
 * });
 * ```
 */
export function clientCredentials(options: ClientCredentialsOptions): RefreshFunction {
	const config = readTokenEndpointOptions('clientCredentials', options);
	if (options.clientAuthentication.method === 'none') {
		throw new TypeError('clientCredentials: options.clientAuthentication: expected clientSecretBasic(…), clientSecretPost(…) or privateKeyJwt(…) (the client_credentials grant needs a confidential client), got none()');
	}
	return async ({signal}) => requestTokens(config, {type: 'client_credentials'}, signal, 'configuration');
}
