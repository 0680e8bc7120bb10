import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {AuthenticationError, ConfigurationError, createAuthClient, createAuthSession, createMachineSession, RefreshError} from '../../src/index.js';
import {clientCredentials, clientSecretBasic, clientSecretPost, refreshTokenGrant} from '../../src/oauth/index.js';
import {startTokenServer, type TokenServer} from './token-server.js';

// End to end: the session and the HTTP client of ky-auth, with ky-auth/oauth's refresh functions, against
// one real node:http server that is both the token endpoint and the API.

let server: TokenServer;

beforeEach(async () => {
	server = await startTokenServer();
	server.register({id: 'web', method: 'client_secret_post', secret: 'web-secret'});
	server.register({id: 'svc', method: 'client_secret_basic', secret: 'svc-secret'});
});

afterEach(async () => {
	await server.close();
});

describe('refreshTokenGrant in a user session', () => {
	function signedIn() {
		const session = createAuthSession({
			refresh: refreshTokenGrant({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'web', clientAuthentication: clientSecretPost('web-secret')}),
		});
		const api = createAuthClient(session, {baseUrl: `${server.origin}/api/`});
		return {session, api};
	}

	it('a storm of 20 requests on a revoked token: exactly 1 token call, all 20 succeed with the new token', async () => {
		const {session, api} = signedIn();
		await session.signIn({accessToken: server.issueAccessToken(), refreshToken: server.issueRefreshToken('web'), expiresIn: 300});
		server.revokeAccessTokens();
		const results = await Promise.all(Array.from({length: 20}, async (_, index) => api.get(`item/${index}`).json<{path: string}>()));
		expect(results.map(result => result.path)).toEqual(Array.from({length: 20}, (_, index) => `/api/item/${index}`));
		expect(server.calls).toHaveLength(1);
		expect(server.calls[0]).toMatchObject({grant: 'refresh_token', client: 'web', outcome: 'issued'});
		// 20 rejected first attempts, 20 retries with the new token.
		expect(server.apiCalls).toBe(40);
	});

	it('the rotated refresh token is the one spent next; invalid_grant ends the sign-in', async () => {
		const {session, api} = signedIn();
		const first = server.issueRefreshToken('web');
		await session.signIn({accessToken: server.issueAccessToken(), refreshToken: first, expiresIn: 300});
		server.revokeAccessTokens();
		await api.get('one');
		server.revokeAccessTokens();
		await api.get('two');
		expect(server.calls.map(call => call.outcome)).toEqual(['issued', 'issued']);
		const spent = server.calls.map(call => call.params.get('refresh_token'));
		expect(spent[0]).toBe(first);
		expect(spent[1]).not.toBe(first);
		server.revokeAccessTokens();
		server.answerNext({status: 400, body: {error: 'invalid_grant'}});
		const error = await api.get('three').catch((error: unknown) => error);
		expect(error).toBeInstanceOf(AuthenticationError);
		expect((error as AuthenticationError).code).toBe('SESSION_ENDED');
		expect(session.getSnapshot().status).toBe('signedOut');
	});

	it('a 503 keeps the sign-in: the request fails with RefreshError, the next one refreshes', async () => {
		const {session, api} = signedIn();
		await session.signIn({accessToken: server.issueAccessToken(), refreshToken: server.issueRefreshToken('web'), expiresIn: 300});
		server.revokeAccessTokens();
		server.answerNext({status: 503, headers: {'retry-after': '1'}});
		const error = await api.get('one').catch((error: unknown) => error);
		expect(error).toBeInstanceOf(RefreshError);
		expect(session.getSnapshot().status).toBe('signedIn');
		await expect(api.get('two').json()).resolves.toEqual({path: '/api/two'});
		expect(server.calls.map(call => call.outcome)).toEqual(['scripted 503', 'issued']);
	});
});

describe('clientCredentials in a machine session', () => {
	it('20 concurrent first requests: exactly 1 token call, all succeed', async () => {
		const session = createMachineSession({
			refresh: clientCredentials({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'svc', clientAuthentication: clientSecretBasic('svc-secret'), scope: 'jobs'}),
		});
		const api = createAuthClient(session, {baseUrl: `${server.origin}/api/`});
		const results = await Promise.all(Array.from({length: 20}, async () => api.get('jobs').json()));
		expect(results).toHaveLength(20);
		expect(server.calls).toHaveLength(1);
		expect(server.calls[0]).toMatchObject({grant: 'client_credentials', client: 'svc', outcome: 'issued'});
		expect(server.apiCalls).toBe(20);
	});

	it('a refused client surfaces as a ConfigurationError on the request', async () => {
		const session = createMachineSession({
			refresh: clientCredentials({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'svc', clientAuthentication: clientSecretBasic('wrong')}),
		});
		const api = createAuthClient(session, {baseUrl: `${server.origin}/api/`});
		await expect(api.get('jobs')).rejects.toBeInstanceOf(ConfigurationError);
		expect(server.calls.map(call => call.outcome)).toEqual(['invalid_client']);
		expect(server.apiCalls).toBe(0);
	});
});
