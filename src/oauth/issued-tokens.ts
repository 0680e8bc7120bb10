import type {TokenSet} from '../types/tokens.js';
import {isRecord} from '../utils/validate.js';

/**
 * The tokens a token endpoint's 200 has issued, read from its raw JSON body before any check of the answer:
 * `access_token` and `refresh_token` when both are strings, with `token_type` (`Bearer` or `DPoP`) and `scope`
 * when present. `undefined` when the body holds no refresh token: nothing was rotated, so nothing needs keeping.
 *
 * These are the tokens handed to `RefreshContext.keep`: the server has acted on the request (the refresh token
 * just spent is dead once a new one is issued), whatever the checks that follow make of the answer.
 */
export function issuedTokens(body: unknown): TokenSet | undefined {
	if (!isRecord(body) || typeof body.refresh_token !== 'string' || typeof body.access_token !== 'string') {
		return undefined;
	}
	const tokens: TokenSet = {accessToken: body.access_token, refreshToken: body.refresh_token};
	const type = typeof body.token_type === 'string' ? body.token_type.toLowerCase() : undefined;
	if (type === 'bearer' || type === 'dpop') {
		tokens.tokenType = type === 'dpop' ? 'DPoP' : 'Bearer';
	}
	if (typeof body.scope === 'string') {
		tokens.scope = body.scope;
	}
	return tokens;
}
