import type {TokenEndpointResponse} from 'oauth4webapi';
import {ConfigurationError} from '../errors/refresh-error.js';
import type {TokenSet} from '../types/tokens.js';

/**
 * The {@link TokenSet} of a successful token response (already checked by oauth4webapi: `access_token` and
 * `token_type` present, `expires_in` a non-negative number, also when it arrived as a string).
 *
 * `expiresAt` counts `expires_in` from `sentAt`, when the request was sent: the server's clock started before
 * the answer arrived, so counting from the arrival would overstate the lifetime by the round trip.
 *
 * `tokenType` is `DPoP` for a DPoP-bound token (only accepted when the request carried a proof: `dpop`), else
 * `Bearer` (also when a DPoP request got a Bearer token: RFC 9449 §5 lets the server decline to bind it).
 */
export function tokenSetOf(body: TokenEndpointResponse, sentAt: number, dpop: boolean): TokenSet {
	const bound = body.token_type === 'dpop';
	if (bound && !dpop) {
		throw new ConfigurationError({
			detail: 'the token endpoint issued a DPoP-bound token (token_type DPoP) to a request without a DPoP proof: pass the dpop option (dpop() from ky-auth/dpop), or register the client without DPoP binding',
		});
	}
	const tokens: TokenSet = {accessToken: body.access_token, tokenType: bound ? 'DPoP' : 'Bearer'};
	if (body.refresh_token !== undefined) {
		tokens.refreshToken = body.refresh_token;
	}
	if (body.expires_in !== undefined) {
		tokens.expiresAt = sentAt + body.expires_in * 1000;
	}
	if (body.scope !== undefined) {
		tokens.scope = body.scope;
	}
	return tokens;
}
