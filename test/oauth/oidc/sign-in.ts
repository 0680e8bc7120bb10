import * as oauth from 'oauth4webapi';
import {redirectUri, type OidcServer} from './provider.js';

/** The first tokens of a sign-in, as the login of an application hands them to `session.signIn`. */
export interface FirstTokens {
	readonly accessToken: string;
	readonly refreshToken: string;
	readonly idToken: string;
}

/** Cookies set by the provider, sent back on the next hop (what a browser would do during the login). */
class CookieJar {
	readonly #cookies = new Map<string, string>();

	take(response: Response): void {
		for (const line of response.headers.getSetCookie()) {
			const [pair = ''] = line.split(';', 1);
			const at = pair.indexOf('=');
			this.#cookies.set(pair.slice(0, at), pair.slice(at + 1));
		}
	}

	header(): string {
		return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
	}
}

/** GET `url` with the jar's cookies, without following a redirect; the `Location` it answers. */
async function hop(url: string, jar: CookieJar): Promise<URL> {
	const response = await fetch(url, {redirect: 'manual', headers: {cookie: jar.header()}});
	jar.take(response);
	await response.body?.cancel();
	const location = response.headers.get('location');
	if (response.status < 300 || response.status >= 400 || location === null) {
		throw new Error(`expected a redirect from ${url}, got HTTP ${response.status}`);
	}
	return new URL(location, url);
}

/**
 * Signs in at the provider the way an application's login does: an authorization request with PKCE for
 * `openid offline_access` (with `prompt=consent`, which OpenID Connect requires for `offline_access`), the
 * provider's interaction (logged in and granted by the test server), the redirect back with a code, and the
 * code exchanged at the token endpoint (oauth4webapi, with the issuer known, so the first ID token is checked).
 */
export async function signInAtProvider(op: OidcServer, clientId: string, idTokenAlg: 'RS256' | 'ES256' = 'RS256'): Promise<FirstTokens> {
	const server: oauth.AuthorizationServer = {issuer: op.issuer, token_endpoint: op.tokenEndpoint, authorization_response_iss_parameter_supported: true};
	const client: oauth.Client = {client_id: clientId, id_token_signed_response_alg: idTokenAlg};
	const verifier = oauth.generateRandomCodeVerifier();
	const state = oauth.generateRandomState();
	const authorize = new URL(op.provider.urlFor('authorization'));
	authorize.search = new URLSearchParams({
		client_id: clientId,
		redirect_uri: redirectUri,
		response_type: 'code',
		scope: 'openid offline_access',
		prompt: 'consent',
		state,
		code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256',
	}).toString();
	const jar = new CookieJar();
	let location = await hop(authorize.href, jar);
	// The interaction, then the resumed authorization request, then the redirect to the client.
	for (let hops = 0; location.origin === op.issuer && hops < 5; hops++) {
		location = await hop(location.href, jar);
	}
	const callback = oauth.validateAuthResponse(server, client, location, state);
	const response = await oauth.authorizationCodeGrantRequest(server, client, oauth.None(), callback, redirectUri, verifier, {[oauth.allowInsecureRequests]: true});
	const result = await oauth.processAuthorizationCodeResponse(server, client, response, {requireIdToken: true});
	if (result.refresh_token === undefined || result.id_token === undefined) {
		throw new Error('the provider issued no refresh token or no ID token');
	}
	return {accessToken: result.access_token, refreshToken: result.refresh_token, idToken: result.id_token};
}
