import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ConfigurationError, RefreshError} from '../../src/index.js';
import {clientSecretPost, refreshTokenGrant, type RefreshTokenGrantOptions} from '../../src/oauth/index.js';
import {context, startTokenServer, type TokenServer} from './token-server.js';

let server: TokenServer;
const secret = 'rt-client-secret-7';

beforeEach(async () => {
	server = await startTokenServer();
	server.register({id: 'web', method: 'client_secret_post', secret});
});

afterEach(async () => {
	await server.close();
});

function options(extra: Partial<RefreshTokenGrantOptions> = {}): RefreshTokenGrantOptions {
	return {tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'web', clientAuthentication: clientSecretPost(secret), ...extra};
}

describe('refreshTokenGrant', () => {
	it('spends the refresh token and returns the rotated one; the spent one is then invalid_grant: null', async () => {
		const refresh = refreshTokenGrant(options({now: () => 10_000}));
		const first = server.issueRefreshToken('web');
		const tokens = await refresh(context({accessToken: 'at-old', refreshToken: first}));
		expect(tokens).toEqual({accessToken: expect.stringMatching(/^at-/), refreshToken: expect.stringMatching(/^rt-/), tokenType: 'Bearer', expiresAt: 10_000 + 300_000});
		expect(tokens?.refreshToken).not.toBe(first);
		expect(server.calls[0]?.grant).toBe('refresh_token');
		expect(server.calls[0]?.params.get('refresh_token')).toBe(first);
		// The rotated token works once more; the first one is dead.
		await expect(refresh(context({accessToken: 'x', refreshToken: tokens?.refreshToken ?? ''}))).resolves.toMatchObject({tokenType: 'Bearer'});
		await expect(refresh(context({accessToken: 'x', refreshToken: first}))).resolves.toBeNull();
		expect(server.calls.map(call => call.outcome)).toEqual(['issued', 'issued', 'invalid_grant']);
	});

	it('an answer without refresh_token leaves refreshToken out (the session keeps the old one)', async () => {
		server.rotate = false;
		const tokens = await refreshTokenGrant(options())(context({accessToken: 'x', refreshToken: server.issueRefreshToken('web')}));
		expect(tokens).not.toHaveProperty('refreshToken');
		expect(tokens?.accessToken).toMatch(/^at-/);
	});

	it('no refresh token (signed out, or a session without one): null without calling the endpoint', async () => {
		const refresh = refreshTokenGrant(options());
		await expect(refresh(context())).resolves.toBeNull();
		await expect(refresh(context({accessToken: 'x'}))).resolves.toBeNull();
		expect(server.calls).toHaveLength(0);
	});

	it('sends scope (narrowing), audience and resource along', async () => {
		await refreshTokenGrant(options({scope: 'read', audience: ['a', 'b'], resource: 'https://api.example.com/'}))(context({accessToken: 'x', refreshToken: server.issueRefreshToken('web')}));
		const params = server.calls[0]?.params;
		expect(params?.get('scope')).toBe('read');
		expect(params?.getAll('audience')).toEqual(['a', 'b']);
		expect(params?.getAll('resource')).toEqual(['https://api.example.com/']);
	});

	it('a 401 invalid_client (with a Basic challenge) is a ConfigurationError, not the end of the sign-in', async () => {
		const refresh = refreshTokenGrant(options({clientAuthentication: clientSecretPost('not-the-secret')}));
		const error = await refresh(context({accessToken: 'x', refreshToken: server.issueRefreshToken('web')})).catch((error: unknown) => error);
		expect(error).toBeInstanceOf(ConfigurationError);
	});

	it('invalid_client announced only in a WWW-Authenticate challenge is read from it', async () => {
		server.answerNext({status: 401, headers: {'www-authenticate': 'Basic realm="token", error="invalid_client", error_description="unknown client"', 'content-type': 'text/plain'}, body: 'no'});
		const error = await refreshTokenGrant(options())(context({accessToken: 'x', refreshToken: 'rt-1'})).catch((error: unknown) => error);
		expect(error).toBeInstanceOf(ConfigurationError);
		expect((error as Error).message).toContain('HTTP 401 invalid_client ("unknown client")');
	});

	it('a 503 keeps the session: REFRESH_FAILED with retryAfter', async () => {
		server.answerNext({status: 503, headers: {'retry-after': '3'}});
		const error = await refreshTokenGrant(options())(context({accessToken: 'x', refreshToken: 'rt-1'})).catch((error: unknown) => error);
		expect(error).toBeInstanceOf(RefreshError);
		expect(error).not.toBeInstanceOf(ConfigurationError);
		expect((error as RefreshError).retryAfter).toBe(3000);
	});
});
