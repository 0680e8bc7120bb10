import type {TokenEndpointResponse} from 'oauth4webapi';
import {ConfigurationError} from '../errors/refresh-error.js';
import type {TokenSet} from '../types/tokens.js';

/**
 * The {@link TokenSet} of a successful token response (already checked by oauth4webapi: `access_token` and
 * `token_type` present, `expires_in` a non-negative number, also when it arrived as a string).
 *
 * `expiresAt` counts `expires_in` from `sentAt`, when the request was sent: the server's clock started before
 * the answer arrived, so counting from the arrival would overstate the lifetime by the round trip.
 */
export function tokenSetOf(body: TokenEndpointResponse, sentAt: number): TokenSet {
	if (body.token_type === 'dpop') {
		throw new ConfigurationError({
			detail: 'the token endpoint issued a DPoP-bound token (token_type DPoP), and ky-auth sends no DPoP proofs: register the client without DPoP binding',
		});
	}
	const tokens: TokenSet = {accessToken: body.access_token, tokenType: 'Bearer'};
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
