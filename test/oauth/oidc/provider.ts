import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {exportJWK, generateKeyPair} from 'jose';
import Provider, {type ClientMetadata} from 'oidc-provider';
import {afterEach, beforeEach} from 'vitest';

/** The public clients the provider knows: `web-app` gets RS256 ID tokens (the default), `web-app-es256` ES256 ones. */
export const clients = {
	rs256: 'web-app',
	es256: 'web-app-es256',
} as const;

/** The redirect URI of both clients (a native app's loopback redirect: any port). */
export const redirectUri = 'http://127.0.0.1/cb';

/** The one end user every sign-in logs in as. */
export const accountId = 'alice';

/** What the provider has seen of the refresh_token grant since the last {@link OidcServer.resetCounts}. */
export interface RefreshCounts {
	/** Every POST to the token endpoint. */
	tokenCalls: number;
	/** Each refresh token presented with the refresh_token grant, in order (answered or refused). */
	presented: string[];
	/** Refused because the refresh token had been spent already (oidc-provider's reuse detection). */
	reuseDetected: number;
	/** Grants revoked (all of a grant's tokens die: after a reuse, or a refresh token revoked at the revocation endpoint). */
	grantsRevoked: number;
	/** Metadata requests (`/.well-known/…`). */
	discoveries: number;
	/** Calls of the revocation endpoint (RFC 7009). */
	revocations: number;
}

/**
 * oidc-provider (an OpenID Certified provider) in this process, on a free port of 127.0.0.1: the
 * authorization, token and userinfo endpoints, refresh tokens rotated on every use (a rotated one presented
 * again revokes the whole grant), and an interaction endpoint that logs in {@link accountId} and grants what
 * the client asks for, so a real authorization-code flow completes without a browser.
 */
export interface OidcServer {
	readonly provider: Provider;
	readonly issuer: string;
	/** The token endpoint, from the provider's own routes. */
	readonly tokenEndpoint: string;
	/** The userinfo endpoint: an API that accepts the provider's access tokens (those with `openid`). */
	readonly userinfoEndpoint: string;
	/** The revocation endpoint (RFC 7009). */
	readonly revocationEndpoint: string;
	readonly counts: RefreshCounts;
	resetCounts(): void;
	close(): Promise<void>;
}

function freshCounts(): RefreshCounts {
	return {tokenCalls: 0, presented: [], reuseDetected: 0, grantsRevoked: 0, discoveries: 0, revocations: 0};
}

async function makeSigningKeys() {
	const rsa = await generateKeyPair('RS256', {extractable: true});
	const ec = await generateKeyPair('ES256', {extractable: true});
	return [{...await exportJWK(rsa.privateKey), kid: 'rs', alg: 'RS256', use: 'sig'}, {...await exportJWK(ec.privateKey), kid: 'ec', alg: 'ES256', use: 'sig'}];
}

let signingKeys: ReturnType<typeof makeSigningKeys> | undefined;

function clientMetadata(clientId: string, idTokenAlg: 'RS256' | 'ES256'): ClientMetadata {
	return {
		client_id: clientId,
		application_type: 'native',
		token_endpoint_auth_method: 'none',
		grant_types: ['authorization_code', 'refresh_token'],
		response_types: ['code'],
		redirect_uris: [redirectUri],
		id_token_signed_response_alg: idTokenAlg,
	};
}

/** Logs in {@link accountId} and grants the scope asked for, in one interaction result. */
async function interact(provider: Provider, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const details = await provider.interactionDetails(request, response);
	const clientId = String(details.params.client_id);
	const grant = new provider.Grant({accountId, clientId});
	grant.addOIDCScope(String(details.params.scope));
	const grantId = await grant.save();
	await provider.interactionFinished(request, response, {login: {accountId}, consent: {grantId}}, {mergeWithLastSubmission: false});
}

function refreshTokenOf(params: Record<string, unknown> | undefined): string | undefined {
	return params?.grant_type === 'refresh_token' && typeof params.refresh_token === 'string' ? params.refresh_token : undefined;
}

export async function startOidcServer(): Promise<OidcServer> {
	let handle: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => response.end();
	const server = createServer((request, response) => handle(request, response));
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const provider = new Provider(issuer, {
		clients: [clientMetadata(clients.rs256, 'RS256'), clientMetadata(clients.es256, 'ES256')],
		// The provider's ID token signing keys, made once per test file (an RSA key takes a while to generate).
		jwks: {keys: await (signingKeys ??= makeSigningKeys())},
		rotateRefreshToken: true,
		// Access and ID tokens live an hour (the clock of the test's session moves past it); the rest outlives any test.
		ttl: {AccessToken: 3600, IdToken: 3600, RefreshToken: 86_400, Grant: 86_400, Session: 86_400, Interaction: 600},
		cookies: {keys: ['oidc-test-cookie-key']},
		features: {devInteractions: {enabled: false}, revocation: {enabled: true}},
		interactions: {url: (_ctx, interaction) => `/interaction/${interaction.uid}`},
		findAccount: (_ctx, sub) => ({accountId: sub, claims: () => ({sub})}),
	});
	const counts = freshCounts();
	provider.on('grant.success', ctx => {
		const presented = refreshTokenOf(ctx.oidc.params);
		if (presented !== undefined) {
			counts.presented.push(presented);
		}
	});
	provider.on('grant.error', (ctx, error) => {
		const presented = refreshTokenOf(ctx.oidc.params);
		if (presented !== undefined) {
			counts.presented.push(presented);
		}
		if (error.error_detail === 'refresh token already used') {
			counts.reuseDetected++;
		}
	});
	provider.on('grant.revoked', () => {
		counts.grantsRevoked++;
	});
	const callback = provider.callback();
	const tokenPath = new URL(provider.urlFor('token')).pathname;
	const revocationPath = new URL(provider.urlFor('revocation')).pathname;
	handle = (request, response) => {
		const path = new URL(request.url ?? '/', issuer).pathname;
		if (path.startsWith('/interaction/')) {
			interact(provider, request, response).catch((error: unknown) => {
				response.statusCode = 500;
				response.end(String(error));
			});
			return;
		}
		if (request.method === 'POST' && path === tokenPath) {
			counts.tokenCalls++;
		}
		if (path.startsWith('/.well-known/')) {
			counts.discoveries++;
		}
		if (request.method === 'POST' && path === revocationPath) {
			counts.revocations++;
		}
		void callback(request, response);
	};
	return {
		provider,
		issuer,
		tokenEndpoint: provider.urlFor('token'),
		userinfoEndpoint: provider.urlFor('userinfo'),
		revocationEndpoint: provider.urlFor('revocation'),
		counts,
		resetCounts: () => Object.assign(counts, freshCounts()),
		close: async () => new Promise<void>(resolve => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}

/**
 * A fresh provider for each test of the suite (or file) that calls this: started before, closed after, within
 * `limit` ms (signing keys and start-up take a while on a busy machine). Read it with the returned function.
 */
export function useOidcServer(limit: number): () => OidcServer {
	let op: OidcServer | undefined;
	beforeEach(async () => {
		op = await startOidcServer();
	}, limit);
	afterEach(async () => {
		await op?.close();
	});
	return () => {
		if (op === undefined) {
			throw new Error('useOidcServer: read inside a test');
		}
		return op;
	};
}
