import {isRecord} from '../utils/validate.js';

/**
 * The token response oauth4webapi is to check when no `issuer` is configured: the same answer without its
 * `id_token`. ky-auth does not use an ID token, and checking one needs the issuer identifier (its `iss` must
 * equal it, OpenID Connect Core §3.1.3.7): the token endpoint URL that stands in for a missing issuer is never
 * an ID token's `iss`, so every answer of an OpenID provider would be refused. An answer without an `id_token`,
 * or a body that is not a JSON object, is returned as it is (oauth4webapi reports what is wrong with it).
 *
 * @param response - The token endpoint's answer, unread.
 * @param body - Its body, parsed as JSON from a clone (`undefined` when it is not JSON).
 */
export function withoutIdToken(response: Response, body: unknown): Response {
	if (!isRecord(body) || !('id_token' in body)) {
		return response;
	}
	const rest: Record<string, unknown> = {...body};
	delete rest.id_token;
	return new Response(JSON.stringify(rest), {status: response.status, statusText: response.statusText, headers: response.headers});
}
