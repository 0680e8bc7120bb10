import {allowInsecureRequests, customFetch, processRevocationResponse, revocationRequest, type AuthorizationServer} from 'oauth4webapi';
import {redactError} from '../redact/redact.js';
import type {TokenSet} from '../types/tokens.js';
import {dev} from '../utils/dev.js';
import {invalid, isRecord, optionalFunction} from '../utils/validate.js';
import {clientAuthenticationInternals} from './client-authentication.js';
import {endpointOf} from './config.js';
import {discoveredLocation} from './discovery.js';
import type {OAuthFetch, RevokeOnSignOutOptions} from './options.js';

/** How long one revocation may take. */
const revocationTimeout = 30_000;

const where = 'revokeOnSignOut';

/** The server's metadata with its revocation endpoint: as configured, or discovered from the issuer. */
type FindServer = (signal: AbortSignal) => Promise<AuthorizationServer>;

function serverOf(options: RevokeOnSignOutOptions, fetch: OAuthFetch | undefined, insecure: boolean): FindServer {
	if (options.revocationEndpoint !== undefined) {
		const endpoint = endpointOf(`${where}: options.revocationEndpoint`, options.revocationEndpoint, insecure);
		if (options.issuer !== undefined && (typeof options.issuer !== 'string' || options.issuer === '')) {
			invalid(`${where}: options.issuer`, 'the issuer identifier, a non-empty string', options.issuer);
		}
		const server: AuthorizationServer = {issuer: options.issuer ?? endpoint.href, revocation_endpoint: endpoint.href};
		return async () => Promise.resolve(server);
	}
	if (options.issuer === undefined) {
		return invalid(`${where}: options.revocationEndpoint`, dev ? 'the revocation endpoint\'s URL, or options.issuer alone to discover it from the issuer\'s metadata' : '', undefined);
	}
	const locate = discoveredLocation(endpointOf(`${where}: options.issuer`, options.issuer, insecure), {fetch, allowInsecureRequests: insecure});
	return async signal => {
		const {server} = await locate(signal);
		const endpoint = server.revocation_endpoint;
		if (typeof endpoint !== 'string' || !URL.canParse(endpoint)) {
			throw new Error('the issuer\'s metadata has no revocation_endpoint');
		}
		endpointOf('the issuer\'s revocation_endpoint', endpoint, insecure);
		return server;
	};
}

/**
 * An `onSignOut` for `createAuthSession` that revokes the signed-out tokens at the authorization server (RFC 7009,
 * through oauth4webapi): the refresh token when there is one (`token_type_hint=refresh_token`; a server revokes
 * the access tokens of its grant with it, as RFC 7009 §2.1 suggests), else the access token. Best effort: the
 * local sign-out never waits for it; a failure goes to `onError` and nowhere else, with no token in it.
 *
 * @throws {TypeError} At once when an option is invalid.
 * @example
 * ```ts
 * import { createAuthSession } from 'ky-auth';
 * import { none, refreshTokenGrant, revokeOnSignOut } from 'ky-auth/oauth';
 *
 * const client = { issuer: 'https://login.example.com', clientId: 'web-app', clientAuthentication: none() };
 * export const session = createAuthSession({
 *   refresh: refreshTokenGrant(client),
 *   onSignOut: revokeOnSignOut(client),
 * });
 * ```
 */
export function revokeOnSignOut(options: RevokeOnSignOutOptions): (tokens: TokenSet) => Promise<void> {
	if (!isRecord(options)) {
		invalid(`${where}: options`, dev ? 'an object with revocationEndpoint (or issuer), clientId and clientAuthentication' : '', options);
	}
	const insecure: unknown = options.allowInsecureRequests;
	if (insecure !== undefined && typeof insecure !== 'boolean') {
		invalid(`${where}: options.allowInsecureRequests`, 'a boolean', insecure);
	}
	const fetch = optionalFunction<OAuthFetch>(`${where}: options.fetch`, options.fetch);
	const onError = optionalFunction<(error: Error) => void>(`${where}: options.onError`, options.onError);
	const findServer = serverOf(options, fetch, insecure === true);
	if (typeof options.clientId !== 'string' || options.clientId === '') {
		invalid(`${where}: options.clientId`, 'the client id, a non-empty string', options.clientId);
	}
	const client = {client_id: options.clientId};
	const authentication = clientAuthenticationInternals(options.clientAuthentication);
	if (authentication === undefined) {
		return invalid(`${where}: options.clientAuthentication`, dev ? 'clientSecretBasic(…), clientSecretPost(…), privateKeyJwt(…) or none()' : '', options.clientAuthentication);
	}
	return async tokens => {
		const hasRefreshToken = tokens.refreshToken !== undefined && tokens.refreshToken !== '';
		const token = hasRefreshToken ? tokens.refreshToken ?? '' : tokens.accessToken;
		const hint = hasRefreshToken ? 'refresh_token' : 'access_token';
		const secrets = [tokens.accessToken, tokens.refreshToken, ...authentication.secrets];
		try {
			const signal = AbortSignal.timeout(revocationTimeout);
			const server = await findServer(signal);
			const response = await revocationRequest(server, client, authentication.apply, token, {
				additionalParameters: {token_type_hint: hint},
				signal,
				[customFetch]: async (url: string, init: RequestInit) => (fetch ?? globalThis.fetch)(url, init),
				[allowInsecureRequests]: insecure === true,
			});
			await processRevocationResponse(response);
		} catch (error) {
			const failure = new Error('The token revocation failed', {cause: redactError(error, secrets)});
			try {
				onError?.(failure);
			} catch {
				// Best effort, to the end: a throwing onError changes nothing.
			}
		}
	};
}
