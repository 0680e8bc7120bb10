/**
 * DPoP end to end (issue 11): ky-auth's session, client and `ky-auth/oauth` refresh, with `dpop()`, against a
 * resource server and a token endpoint that verify every proof with jose (test/dpop/servers: signature, htm, htu,
 * iat window on the server's clock, jti replay, ath, cnf.jkt binding, nonces). Token-endpoint calls are counted.
 */
import {createServer, type IncomingHttpHeaders} from 'node:http';
import type {AddressInfo} from 'node:net';
import {HTTPError} from 'ky';
import {afterEach, describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession, StepUpRequiredError} from '../../src/index.js';
import {dpop, memoryKeys} from '../../src/schemes/dpop/index.js';
import {none, refreshTokenGrant} from '../../src/oauth/index.js';
import {startDPoPServers, type DPoPServers, type DPoPServersOptions} from './servers/index.js';

let servers: DPoPServers | undefined;
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
	await servers?.close();
	servers = undefined;
	await Promise.all(closers.splice(0).map(async close => close()));
});

/** A session and client with one dpop() for the API and the token endpoint, signed in with an expired token. */
async function setUp(options: DPoPServersOptions = {}) {
	servers = await startDPoPServers(options);
	const {tokenServer, resourceServer} = servers;
	const scheme = dpop({keys: memoryKeys()});
	const session = createAuthSession({
		refresh: refreshTokenGrant({tokenEndpoint: tokenServer.tokenEndpoint, clientId: 'web', clientAuthentication: none(), dpop: scheme, allowInsecureRequests: true}),
	});
	// A login's refresh token, bound to the key of the first proof that spends it; the access token is expired.
	await session.signIn({accessToken: 'expired-at-login', tokenType: 'DPoP', refreshToken: tokenServer.issueRefreshToken({sub: 'alice'}), expiresIn: 0});
	const api = createAuthClient(session, {prefix: resourceServer.origin, scheme, retry: 0});
	return {tokenServer, resourceServer, scheme, session, api};
}

/** Every proof the resource server verified had a new jti, and none was a replay. */
function expectNoProofReused(resource: DPoPServers['resourceServer']): void {
	const jtis = resource.requests.flatMap(request => (request.proof === undefined ? [] : [request.proof.jti]));
	expect(new Set(jtis).size).toBe(jtis.length);
	expect(resource.stats.replays).toBe(0);
}

describe('dpop() against servers that verify every proof', () => {
	it('20 parallel requests with nonces required on both servers: 1 refresh (plus its nonce challenge), each request accepted, no proof reused', async () => {
		const {tokenServer, resourceServer, api} = await setUp({token: {requireNonce: true}, resource: {requireNonce: true}});
		const results = await Promise.all(Array.from({length: 20}, async (_, index) => api.get(`items/${index}`).json<{ok: boolean; sub: string; path: string}>()));
		expect(results.map(result => result.path)).toEqual(Array.from({length: 20}, (_, index) => `/items/${index}`));
		expect(results.every(result => result.ok && result.sub === 'alice')).toBe(true);
		// The token endpoint: one 400 use_dpop_nonce, then one grant.
		expect(tokenServer.stats.grantRequests.refresh_token).toBe(2);
		expect(tokenServer.stats.grants.refresh_token).toBe(1);
		expect(tokenServer.stats.reuse).toBe(0);
		// The API: every request accepted once; the only refusals are nonce challenges, each followed by one retry.
		expect(resourceServer.stats.accepted).toBe(20);
		expect(Object.keys(resourceServer.stats.rejections)).toEqual(['nonce-missing']);
		expect(resourceServer.stats.requests).toBe(20 + (resourceServer.stats.rejections['nonce-missing'] ?? 0));
		expectNoProofReused(resourceServer);
		// The proofs: htm, htu and ath of each accepted request, as the server decoded them.
		for (const request of resourceServer.requests.filter(entry => entry.status === 200)) {
			expect(request.proof?.htm).toBe('GET');
			expect(request.proof?.htu).toBe(resourceServer.urlFor(request.path));
			expect(request.proof?.ath).toBeDefined();
		}
	});

	it('a rotated nonce costs one retry and no token call; an expired token costs one refresh and one retry', async () => {
		const {tokenServer, resourceServer, api} = await setUp({resource: {requireNonce: true}});
		await api.get('warm-up');
		const grants = tokenServer.stats.grantRequests.refresh_token;
		resourceServer.rotateNonce();
		const before = resourceServer.stats.requests;
		expect(await api.get('after-rotation').json()).toMatchObject({ok: true});
		expect(resourceServer.stats.requests - before).toBe(2);
		expect(tokenServer.stats.grantRequests.refresh_token).toBe(grants);

		tokenServer.expireAccessTokens();
		const results = await Promise.all(Array.from({length: 10}, async (_, index) => api.post(`orders/${index}`, {json: {index}}).json<{ok: boolean}>()));
		expect(results.every(result => result.ok)).toBe(true);
		expect(tokenServer.stats.grantRequests.refresh_token).toBe(grants + 1);
		expect(resourceServer.stats.rejections['token-expired'] ?? resourceServer.stats.rejections['invalid-token'] ?? 0).toBeGreaterThan(0);
		for (const request of resourceServer.requests.filter(entry => entry.path.startsWith('/orders/'))) {
			expect(request.proof?.htm).toBe('POST');
		}
		expectNoProofReused(resourceServer);
	});

	it('server clocks 5 minutes ahead: the first proof is refused for its iat, the retry on the server clock is accepted, and so is the token endpoint', async () => {
		const {tokenServer, resourceServer, api, session, scheme} = await setUp({clockOffsetMs: 5 * 60_000});
		// Signed in with a valid token first, so the API is the first server this client hears from.
		await session.signIn({
			accessToken: tokenServer.issueAccessToken({sub: 'alice', jkt: await scheme.thumbprint()}),
			tokenType: 'DPoP',
			refreshToken: tokenServer.issueRefreshToken({sub: 'alice', jkt: await scheme.thumbprint()}),
			expiresIn: 3600,
		});
		expect(await api.get('first').json()).toMatchObject({ok: true});
		expect(resourceServer.stats.requests).toBe(2);
		expect(Object.keys(resourceServer.stats.rejections)).toEqual(['iat']);
		const accepted = resourceServer.requests.at(-1)?.proof?.iat ?? 0;
		expect(Math.abs(accepted - Math.floor(resourceServer.now() / 1000))).toBeLessThanOrEqual(2);

		tokenServer.expireAccessTokens();
		expect(await api.get('second').json()).toMatchObject({ok: true});
		expect(tokenServer.stats.grantRequests.refresh_token).toBe(1);
		expect(tokenServer.stats.grants.refresh_token).toBe(1);
		expectNoProofReused(resourceServer);
	});

	it('a same-origin redirect gets a new proof for the new URL; another origin gets neither token nor proof, and its 401 costs no refresh', async () => {
		const {tokenServer, resourceServer, api} = await setUp();
		const heads: IncomingHttpHeaders[] = [];
		const other = createServer((request, response) => {
			heads.push(request.headers);
			response.writeHead(401, {'www-authenticate': 'Bearer error="invalid_token"'}).end();
		});
		await new Promise<void>(resolve => other.listen(0, '127.0.0.1', resolve));
		closers.push(async () => new Promise(resolve => other.close(() => resolve())));
		const otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
		resourceServer.setRedirect('/old', resourceServer.urlFor('/new'));
		resourceServer.setRedirect('/away', `${otherOrigin}/elsewhere`);

		expect(await api.get('old').json()).toMatchObject({ok: true, path: '/new'});
		const hops = resourceServer.requests.filter(request => request.path === '/old' || request.path === '/new');
		// The redirecting path answers without verifying; the proof it got is not the one /new verified.
		expect(hops.map(request => request.path)).toEqual(['/old', '/new']);
		const [oldHop, newHop] = hops;
		expect(newHop?.proof?.htu).toBe(resourceServer.urlFor('/new'));
		const oldProof = JSON.parse(Buffer.from(String(oldHop?.headers.dpop).split('.')[1] ?? '', 'base64url').toString()) as {htu: string; jti: string};
		expect(oldProof.htu).toBe(resourceServer.urlFor('/old'));
		expect(oldProof.jti).not.toBe(newHop?.proof?.jti);
		const grants = tokenServer.stats.grantRequests.refresh_token;
		const failure = await api.get('away').catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(HTTPError);
		expect(failure).not.toHaveProperty('code');
		expect(heads).toHaveLength(1);
		expect(heads[0]?.authorization).toBeUndefined();
		expect(heads[0]?.dpop).toBeUndefined();
		expect(tokenServer.stats.grantRequests.refresh_token).toBe(grants);
		expectNoProofReused(resourceServer);
	});

	it('step-up on a DPoP API: StepUpRequiredError, no refresh, sent once', async () => {
		const {tokenServer, resourceServer, api} = await setUp();
		await api.get('warm-up');
		const grants = tokenServer.stats.grantRequests.refresh_token;
		resourceServer.setChallenge('/admin', {error: 'insufficient_user_authentication', params: {acr_values: 'phr', max_age: '60'}});
		const failure = await api.get('admin').catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(StepUpRequiredError);
		expect(failure).toMatchObject({acrValues: ['phr'], maxAge: 60});
		expect(resourceServer.requests.filter(request => request.path === '/admin')).toHaveLength(1);
		expect(tokenServer.stats.grantRequests.refresh_token).toBe(grants);
	});
});
