/**
 * Issue 19: `issuer` alone configures ky-auth/oauth. The token endpoint is discovered from the issuer's metadata
 * (oauth4webapi: OpenID Connect Discovery, then RFC 8414), once per refresh function, with the metadata's
 * `issuer` checked; nothing is spent before the endpoint is known, and a failed lookup is tried again. Against
 * oidc-provider (OpenID Certified) in this process, and a metadata server of our own for the faults.
 */
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ConfigurationError, RefreshError} from '../../src/index.js';
import {clientCredentials, clientSecretBasic, none, refreshTokenGrant} from '../../src/oauth/index.js';
import {clients, useOidcServer} from './oidc/provider.js';
import {signedInUser} from './oidc/session.js';
import {context, startTokenServer, type TokenServer} from './token-server.js';

const limit = 60_000;

describe('discovery from the issuer alone, against oidc-provider', {timeout: limit}, () => {
	const oidc = useOidcServer(limit);

	it('three rounds of storms refresh through the discovered token endpoint: one metadata request, ID tokens checked, one token call per round', async () => {
		const user = await signedInUser(oidc(), {clientId: clients.rs256, discover: true});
		for (let round = 0; round < 3; round++) {
			user.expire();
			const results = await user.storm(10);
			expect(results.every(result => result.status === 'fulfilled')).toBe(true);
		}
		expect(oidc().counts.discoveries).toBe(1);
		expect(oidc().counts.tokenCalls).toBe(3);
		expect(oidc().counts.reuseDetected).toBe(0);
		// The provider answered each refresh with an ID token (openid), checked against the discovered issuer.
		expect(user.idTokenAnswers()).toBe(3);
	});

	it('an issuer the provider has no metadata for is refused (ConfigurationError) before anything is spent', async () => {
		const wrongIssuer = `${oidc().issuer}/tenant-b`;
		const refresh = refreshTokenGrant({issuer: wrongIssuer, clientId: clients.rs256, clientAuthentication: none(), allowInsecureRequests: true});
		const error: unknown = await refresh({tokens: {accessToken: 'a', refreshToken: 'r-unspent'}, signal: new AbortController().signal, reason: 'manual', keep: undefined}).catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(ConfigurationError);
		expect(oidc().counts.tokenCalls).toBe(0);
	});
});

describe('discovery faults, against a metadata server of our own', {timeout: limit}, () => {
	let tokens: TokenServer;
	let metadata: Server;
	let issuer: string;
	/** What the metadata server answers next, in order (then the real metadata). */
	let failures: number[];
	let requests: string[];
	const secret = 'disc-secret-4z';

	beforeEach(async () => {
		tokens = await startTokenServer();
		tokens.register({id: 'svc', method: 'client_secret_basic', secret});
		failures = [];
		requests = [];
		metadata = createServer((request, response) => {
			requests.push(request.url ?? '');
			const status = failures.shift();
			if (status !== undefined) {
				response.writeHead(status).end();
				return;
			}
			if (request.url === '/.well-known/openid-configuration') {
				// An OAuth server that is not an OpenID provider: only RFC 8414's document.
				response.writeHead(404).end();
				return;
			}
			response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({issuer, token_endpoint: tokens.tokenEndpoint}));
		});
		await new Promise<void>(resolve => metadata.listen(0, '127.0.0.1', resolve));
		issuer = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
	});
	afterEach(async () => {
		metadata.closeAllConnections();
		await new Promise(resolve => metadata.close(resolve));
		await tokens.close();
	});

	const machine = () => clientCredentials({issuer, clientId: 'svc', clientAuthentication: clientSecretBasic(secret), allowInsecureRequests: true});

	it('RFC 8414 when OpenID Connect Discovery answers 404; the metadata is kept for later calls', async () => {
		const refresh = machine();
		await refresh(context(undefined));
		await refresh(context(undefined));
		expect(requests).toEqual(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']);
		expect(tokens.calls.length).toBe(2);
	});

	it('a metadata server answering 503: REFRESH_FAILED with no token call, and the next call looks again and succeeds', async () => {
		failures = [503];
		const refresh = machine();
		const error: unknown = await refresh(context(undefined)).catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(RefreshError);
		expect(error).not.toBeInstanceOf(ConfigurationError);
		expect(error).toMatchObject({code: 'REFRESH_FAILED', status: 503});
		expect(tokens.calls.length).toBe(0);
		await refresh(context(undefined));
		expect(tokens.calls.length).toBe(1);
	});

	it('metadata that names another issuer is refused: ConfigurationError, no token call', async () => {
		const refresh = machine();
		const real = issuer;
		issuer = 'https://elsewhere.example';
		const error: unknown = await clientCredentials({issuer: real, clientId: 'svc', clientAuthentication: clientSecretBasic(secret), allowInsecureRequests: true})(context(undefined)).catch((error_: unknown) => error_);
		issuer = real;
		expect(error).toBeInstanceOf(ConfigurationError);
		expect(tokens.calls.length).toBe(0);
		// Once the metadata is right, a function made with the real issuer works.
		await refresh(context(undefined));
		expect(tokens.calls.length).toBe(1);
	});

	it('concurrent calls share one lookup', async () => {
		const refresh = machine();
		await Promise.all([refresh(context(undefined)), refresh(context(undefined)), refresh(context(undefined))]);
		expect(requests.length).toBe(2);
		expect(tokens.calls.length).toBe(3);
	});

	it('neither tokenEndpoint nor issuer: a TypeError when the function is made', () => {
		expect(() => clientCredentials({clientId: 'svc', clientAuthentication: clientSecretBasic(secret)})).toThrow(/clientCredentials: options\.tokenEndpoint: expected the token endpoint's URL, or options\.issuer alone to discover it/);
	});
});
