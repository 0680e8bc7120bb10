import {EmbeddedJWK, jwtVerify, type JWTPayload} from 'jose';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ConfigurationError, RefreshError} from '../../src/index.js';
import {clientCredentials, clientSecretPost, privateKeyJwt, refreshTokenGrant, type TokenEndpointOptions} from '../../src/oauth/index.js';
import {dpop} from '../../src/schemes/dpop/index.js';
import {context, startTokenServer, type TokenServer} from '../oauth/token-server.js';

let server: TokenServer;
const secret = 'dpop-client-secret-9';
const nonceDemand = (nonce: string, headers: Record<string, string> = {}) => ({
	status: 400,
	headers: {'dpop-nonce': nonce, ...headers},
	body: {error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof'},
});

beforeEach(async () => {
	server = await startTokenServer();
	server.register({id: 'web', method: 'client_secret_post', secret});
});

afterEach(async () => {
	await server.close();
});

function options(extra: Partial<TokenEndpointOptions> = {}): TokenEndpointOptions {
	return {tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'web', clientAuthentication: clientSecretPost(secret), ...extra};
}

/** The verified proof of the n-th token call. */
async function proofOf(index: number): Promise<JWTPayload> {
	const header = server.calls[index]?.headers.dpop;
	expect(typeof header, `call ${index} carries a DPoP header`).toBe('string');
	const {payload} = await jwtVerify(String(header), EmbeddedJWK, {typ: 'dpop+jwt'});
	return payload;
}

async function failure(promise: Promise<unknown>): Promise<RefreshError> {
	const error = await promise.then(() => undefined, (error: unknown) => error);
	expect(error).toBeInstanceOf(RefreshError);
	return error as RefreshError;
}

describe('token endpoint with DPoP', () => {
	it('every token request carries a proof: POST, htu the token endpoint, no ath', async () => {
		const tokens = await refreshTokenGrant(options({dpop: dpop()}))(context({accessToken: 'x', refreshToken: server.issueRefreshToken('web')}));
		expect(tokens?.accessToken).toMatch(/^at-/);
		const proof = await proofOf(0);
		expect(proof).toMatchObject({htm: 'POST', htu: server.tokenEndpoint});
		expect(proof).not.toHaveProperty('ath');
		expect(proof).not.toHaveProperty('nonce');
	});

	it('400 use_dpop_nonce: sent again once with the nonce, and the tokens are returned (2 token requests)', async () => {
		server.answerNext(nonceDemand('as-nonce-1'));
		const scheme = dpop();
		const refreshToken = server.issueRefreshToken('web');
		const tokens = await refreshTokenGrant(options({dpop: scheme}))(context({accessToken: 'x', refreshToken}));
		expect(tokens).toMatchObject({accessToken: expect.stringMatching(/^at-/), tokenType: 'Bearer'});
		expect(server.calls.map(call => call.outcome)).toEqual(['scripted 400', 'issued']);
		const [first, second] = [await proofOf(0), await proofOf(1)];
		expect(first).not.toHaveProperty('nonce');
		expect(second).toMatchObject({nonce: 'as-nonce-1', htm: 'POST', htu: server.tokenEndpoint});
		expect(second.jti).not.toBe(first.jti);
		expect(server.calls[1]?.params.get('refresh_token')).toBe(refreshToken);
	});

	it('a second 400 use_dpop_nonce: no third request, a RefreshError REFRESH_FAILED (not the end of the sign-in)', async () => {
		server.answerNext(nonceDemand('as-nonce-1'), nonceDemand('as-nonce-2'));
		const error = await failure(refreshTokenGrant(options({dpop: dpop()}))(context({accessToken: 'x', refreshToken: server.issueRefreshToken('web')})));
		expect(error).not.toBeInstanceOf(ConfigurationError);
		expect(error.code).toBe('REFRESH_FAILED');
		expect(error.message).toContain('HTTP 400 use_dpop_nonce');
		expect(server.calls).toHaveLength(2);
	});

	it('without the dpop option a use_dpop_nonce answer is not retried', async () => {
		server.answerNext(nonceDemand('as-nonce-1'));
		await failure(clientCredentials(options())(context()));
		expect(server.calls).toHaveLength(1);
	});

	it('the error answer\'s Date reaches the clock: the retried proof\'s iat follows a server 5 minutes ahead', async () => {
		const ahead = Date.now() + 300_000;
		server.answerNext(nonceDemand('as-nonce-1', {date: new Date(ahead).toUTCString()}));
		await clientCredentials(options({dpop: dpop()}))(context());
		const [first, second] = [await proofOf(0), await proofOf(1)];
		expect(Math.abs((first.iat ?? 0) - Date.now() / 1000)).toBeLessThan(5);
		expect(Math.abs((second.iat ?? 0) - ahead / 1000)).toBeLessThan(5);
	});

	it('400 invalid_dpop_proof (an iat off by the server\'s clock): sent again once on the clock its Date gave; a second one is REFRESH_FAILED', async () => {
		const ahead = Date.now() + 300_000;
		const refused = {status: 400, body: {error: 'invalid_dpop_proof', error_description: 'iat out of window'}, headers: {date: new Date(ahead).toUTCString()}};
		const tokens = await clientCredentials(options({dpop: dpop()}))(context());
		expect(tokens?.accessToken).toMatch(/^at-/);
		server.answerNext(refused);
		await clientCredentials(options({dpop: dpop()}))(context());
		expect(server.calls.map(call => call.outcome)).toEqual(['issued', 'scripted 400', 'issued']);
		expect(Math.abs(((await proofOf(2)).iat ?? 0) - ahead / 1000)).toBeLessThan(5);
		server.answerNext(refused, refused);
		const error = await failure(clientCredentials(options({dpop: dpop()}))(context()));
		expect(error.code).toBe('REFRESH_FAILED');
		expect(server.calls).toHaveLength(5);
	});

	it('private_key_jwt: the request sent again carries a new client assertion, not a replay of the first', async () => {
		const {privateKey, publicKey} = await crypto.subtle.generateKey({name: 'ECDSA', namedCurve: 'P-256'}, false, ['sign', 'verify']);
		server.register({id: 'svc', method: 'private_key_jwt', publicKey, audience: server.tokenEndpoint});
		server.answerNext(nonceDemand('as-nonce-1'));
		const tokens = await clientCredentials(options({clientId: 'svc', clientAuthentication: privateKeyJwt(privateKey), dpop: dpop()}))(context());
		expect(tokens?.accessToken).toMatch(/^at-/);
		const assertions = server.calls.map(call => call.params.get('client_assertion'));
		expect(assertions).toHaveLength(2);
		expect(assertions[0]).not.toBe(assertions[1]);
	});

	it('a DPoP-bound token (token_type DPoP) is accepted with the dpop option: tokenType DPoP', async () => {
		server.answerNext({status: 200, body: {access_token: 'at-dpop-bound-1234567890', token_type: 'DPoP', expires_in: 60}});
		await expect(clientCredentials(options({dpop: dpop()}))(context())).resolves.toMatchObject({accessToken: 'at-dpop-bound-1234567890', tokenType: 'DPoP'});
	});

	it('without the dpop option a DPoP-bound token is a ConfigurationError that points to the option', async () => {
		server.answerNext({status: 200, body: {access_token: 'at-dpop-bound-1234567890', token_type: 'DPoP', expires_in: 60}});
		const error = await failure(clientCredentials(options())(context()));
		expect(error).toBeInstanceOf(ConfigurationError);
		expect(error.message).toContain('pass the dpop option');
		expect(error.message).not.toContain('at-dpop-bound-1234567890');
	});

	it('a redirect from the token endpoint is never followed, with a proof or without', async () => {
		const error = await failure(clientCredentials(options({tokenEndpoint: server.redirectingEndpoint, dpop: dpop()}))(context()));
		expect(error.message).toContain('never follow redirects');
		expect(server.redirectTargetHits).toBe(0);
	});

	it('options.dpop must be a DPoP proof maker', () => {
		expect(() => clientCredentials(options({dpop: {proof: async () => 'x'} as never}))).toThrow('clientCredentials: options.dpop: expected a DPoP proof maker ({proof, observe, thumbprint}: dpop() from ky-auth/dpop), got an object');
	});
});
