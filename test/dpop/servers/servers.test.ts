import {request as httpRequest} from 'node:http';
import {randomUUID} from 'node:crypto';
import {exportJWK} from 'jose';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {accessTokenHash} from './verify-proof.js';
import {createProofKey, makeProof, type ProofKey} from './make-proof.js';
import {startDPoPResourceServer} from './resource-server.js';
import {startDPoPServers, type DPoPServers, type DPoPServersOptions} from './start-servers.js';
import {createTokenRegistry} from './token-registry.js';
import {startDPoPTokenServer} from './token-server.js';

const running: DPoPServers[] = [];
afterEach(async () => {
	vi.useRealTimers();
	await Promise.all(running.splice(0).map(async servers => servers.close()));
});

async function start(options: DPoPServersOptions = {}): Promise<DPoPServers> {
	const servers = await startDPoPServers(options);
	running.push(servers);
	return servers;
}

interface Reply {
	readonly status: number;
	readonly headers: Headers;
	readonly body: Record<string, unknown>;
}

async function call(url: string, init: {method?: string; authorization?: string; proof?: string; form?: Record<string, string>} = {}): Promise<Reply> {
	const headers: Record<string, string> = {};
	if (init.authorization !== undefined) headers.authorization = init.authorization;
	if (init.proof !== undefined) headers.dpop = init.proof;
	if (init.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
	const response = await fetch(url, {
		method: init.method ?? (init.form === undefined ? 'GET' : 'POST'),
		headers,
		redirect: 'manual',
		...(init.form === undefined ? {} : {body: new URLSearchParams(init.form).toString()}),
	});
	return {status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown>};
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A key, a token bound to it, and a GET of `/api/items` with a proof made by `proof`. */
async function resourceFixture(servers: DPoPServers) {
	const key = await createProofKey();
	const token = servers.tokenServer.issueAccessToken({sub: 'alice', jkt: key.jkt});
	const url = servers.resourceServer.urlFor('/api/items');
	const get = async (proof: string, target = url) => call(target, {authorization: `DPoP ${token}`, proof});
	return {key, token, url, get};
}

function expectRefused(reply: Reply, error: string): void {
	expect(reply.status).toBe(401);
	expect(reply.headers.get('www-authenticate')).toMatch(new RegExp(`^DPoP error="${error}"`));
	expect(reply.body.error).toBe(error);
}

describe('resource server: a correct request', () => {
	test('is accepted, and its proof is logged as sent', async () => {
		const servers = await start();
		const {key, token, url, get} = await resourceFixture(servers);
		const proof = await makeProof(key, {htm: 'GET', htu: url, accessToken: token, jti: 'jti-1'});
		const reply = await get(proof);
		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({ok: true, sub: 'alice', path: '/api/items'});
		expect(reply.headers.get('dpop-nonce')).toBeNull();
		const {stats, requests} = servers.resourceServer;
		expect(stats).toMatchObject({requests: 1, accepted: 1, rejections: {}, replays: 0, distinctJtis: 1});
		expect(requests[0]?.outcome).toBe('accepted');
		expect(requests[0]?.proof).toMatchObject({htm: 'GET', htu: url, jti: 'jti-1', ath: accessTokenHash(token), jkt: key.jkt, nonce: undefined});
	});

	test('a request without Authorization gets a bare DPoP challenge naming the algorithms', async () => {
		const servers = await start();
		const reply = await call(servers.resourceServer.urlFor('/api/items'));
		expect(reply.status).toBe(401);
		expect(reply.headers.get('www-authenticate')).toBe('DPoP algs="ES256 EdDSA RS256 PS256"');
		expect(servers.resourceServer.stats.rejections).toEqual({'no-token': 1});
	});
});

describe('resource server: each proof check refuses what it should', () => {
	test('no DPoP header, or two of them', async () => {
		const servers = await start();
		const {key, token, url} = await resourceFixture(servers);
		expectRefused(await call(url, {authorization: `DPoP ${token}`}), 'invalid_dpop_proof');
		const proofs = [await makeProof(key, {htm: 'GET', htu: url, accessToken: token}), await makeProof(key, {htm: 'GET', htu: url, accessToken: token})];
		const status = await new Promise<number>((resolve, reject) => {
			const outgoing = httpRequest(url, {headers: {authorization: `DPoP ${token}`}}, response => {
				response.resume();
				resolve(response.statusCode ?? 0);
			});
			outgoing.setHeader('DPoP', proofs);
			outgoing.on('error', reject);
			outgoing.end();
		});
		expect(status).toBe(401);
		expect(servers.resourceServer.stats.rejections).toEqual({'dpop-header-count': 2});
	});

	test('a signature made by another key than the embedded jwk', async () => {
		const servers = await start();
		const {key, token, url, get} = await resourceFixture(servers);
		const other = await createProofKey();
		expectRefused(await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token}, {signWith: other.privateKey})), 'invalid_dpop_proof');
		expect(servers.resourceServer.stats.rejections).toEqual({signature: 1});
	});

	test('typ other than dpop+jwt', async () => {
		const servers = await start();
		const {key, token, url, get} = await resourceFixture(servers);
		expectRefused(await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token}, {typ: 'JWT'})), 'invalid_dpop_proof');
		expect(servers.resourceServer.stats.rejections).toEqual({typ: 1});
	});

	test('a symmetric alg (HS256)', async () => {
		const servers = await start();
		const {key, token, url, get} = await resourceFixture(servers);
		const proof = await makeProof(key, {htm: 'GET', htu: url, accessToken: token}, {alg: 'HS256', signWith: new Uint8Array(32).fill(7)});
		expectRefused(await get(proof), 'invalid_dpop_proof');
		expect(servers.resourceServer.stats.rejections).toEqual({alg: 1});
	});

	test('a jwk carrying the private key', async () => {
		const servers = await start();
		const {key, token, url, get} = await resourceFixture(servers);
		const privateJwk = await exportJWK(key.privateKey);
		expect(privateJwk.d).toBeTypeOf('string');
		expectRefused(await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token}, {jwk: privateJwk})), 'invalid_dpop_proof');
		expect(servers.resourceServer.stats.rejections).toEqual({'private-jwk': 1});
	});

	test('htm of another method', async () => {
		const servers = await start();
		const {key, token, url, get} = await resourceFixture(servers);
		expectRefused(await get(await makeProof(key, {htm: 'POST', htu: url, accessToken: token})), 'invalid_dpop_proof');
		expect(servers.resourceServer.stats.rejections).toEqual({htm: 1});
	});

	test('htu of another path is refused; query and fragment are ignored and URLs are normalised', async () => {
		const servers = await start();
		const {key, token, url, get} = await resourceFixture(servers);
		expectRefused(await get(await makeProof(key, {htm: 'GET', htu: servers.resourceServer.urlFor('/api/other'), accessToken: token})), 'invalid_dpop_proof');
		expect(servers.resourceServer.stats.rejections).toEqual({htu: 1});

		const shouting = url.replace('http://127.0.0.1', 'HTTP://127.0.0.1').replace('/api/items', '/api/./items');
		const proof = await makeProof(key, {htm: 'GET', htu: `${shouting}?other=1#fragment`, accessToken: token});
		const reply = await get(proof, `${url}?page=2`);
		expect(reply.status).toBe(200);
		expect(servers.resourceServer.requests.at(-1)?.url).toBe(`${url}?page=2`);
	});

	test('iat two minutes off either way', async () => {
		const servers = await start();
		const {key, token, url, get} = await resourceFixture(servers);
		expectRefused(await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token, iat: nowSeconds() - 120})), 'invalid_dpop_proof');
		expectRefused(await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token, iat: nowSeconds() + 120})), 'invalid_dpop_proof');
		expect(servers.resourceServer.stats.rejections).toEqual({iat: 2});
	});

	test('a server clock 5 minutes ahead: iat on its clock is accepted, on the machine clock refused, and Date says its time', async () => {
		vi.useFakeTimers({toFake: ['Date']});
		vi.setSystemTime(new Date('2026-11-30T12:00:00.000Z'));
		const servers = await start({clockOffsetMs: 5 * 60_000});
		const {key, token, url, get} = await resourceFixture(servers);
		const refused = await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token}));
		expectRefused(refused, 'invalid_dpop_proof');
		expect(refused.headers.get('date')).toBe('Mon, 30 Nov 2026 12:05:00 GMT');
		const accepted = await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token, iat: nowSeconds() + 300}));
		expect(accepted.status).toBe(200);
		expect(accepted.headers.get('date')).toBe('Mon, 30 Nov 2026 12:05:00 GMT');
		expect(servers.resourceServer.stats.rejections).toEqual({iat: 1});

		const tokenReply = await call(servers.tokenServer.tokenEndpoint, {form: {grant_type: 'client_credentials', client_id: 'c'}});
		expect(tokenReply.headers.get('date')).toBe('Mon, 30 Nov 2026 12:05:00 GMT');
	});

	test('a jti seen before is a replay, even in a new proof', async () => {
		const servers = await start();
		const {key, token, url, get} = await resourceFixture(servers);
		const proof = await makeProof(key, {htm: 'GET', htu: url, accessToken: token, jti: 'once'});
		expect((await get(proof)).status).toBe(200);
		expectRefused(await get(proof), 'invalid_dpop_proof');
		expectRefused(await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token, jti: 'once', iat: nowSeconds() - 1})), 'invalid_dpop_proof');
		expect(servers.resourceServer.stats).toMatchObject({accepted: 1, rejections: {replay: 2}, replays: 2, distinctJtis: 1});
	});

	test('ath of another token, or none', async () => {
		const servers = await start();
		const {key, token, url, get} = await resourceFixture(servers);
		expectRefused(await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: `${token}x`})), 'invalid_dpop_proof');
		expectRefused(await get(await makeProof(key, {htm: 'GET', htu: url})), 'invalid_dpop_proof');
		expect(servers.resourceServer.stats.rejections).toEqual({ath: 1, 'missing-claim': 1});
	});

	test('a token bound to another key than the proof', async () => {
		const servers = await start();
		const {token, url, get} = await resourceFixture(servers);
		const other = await createProofKey();
		expectRefused(await get(await makeProof(other, {htm: 'GET', htu: url, accessToken: token})), 'invalid_dpop_proof');
		expect(servers.resourceServer.stats.rejections).toEqual({'jkt-mismatch': 1});
	});
});

describe('resource server: the token', () => {
	test('Bearer with a DPoP-bound token, an unknown token, and an expired one are invalid_token', async () => {
		const servers = await start();
		const {key, token, url, get} = await resourceFixture(servers);
		expectRefused(await call(url, {authorization: `Bearer ${token}`}), 'invalid_token');
		expectRefused(await call(url, {authorization: 'DPoP unknown', proof: await makeProof(key, {htm: 'GET', htu: url, accessToken: 'unknown'})}), 'invalid_token');
		servers.tokenServer.expireAccessTokens();
		expectRefused(await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token})), 'invalid_token');
		expect(servers.resourceServer.stats.rejections).toEqual({'bearer-scheme': 1, 'token-unknown': 1, 'token-expired': 1});
	});
});

describe('resource server: nonces', () => {
	test('a missing or stale nonce gets use_dpop_nonce with the current DPoP-Nonce; every response carries it', async () => {
		const servers = await start({resource: {requireNonce: true, initialNonce: 'n-1'}});
		const {key, token, url, get} = await resourceFixture(servers);
		const missing = await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token}));
		expectRefused(missing, 'use_dpop_nonce');
		expect(missing.headers.get('dpop-nonce')).toBe('n-1');

		const accepted = await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token, nonce: 'n-1'}));
		expect(accepted.status).toBe(200);
		expect(accepted.headers.get('dpop-nonce')).toBe('n-1');

		const fresh = servers.resourceServer.rotateNonce();
		expect(fresh).not.toBe('n-1');
		const stale = await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token, nonce: 'n-1'}));
		expectRefused(stale, 'use_dpop_nonce');
		expect(stale.headers.get('dpop-nonce')).toBe(fresh);
		expect((await call(url)).headers.get('dpop-nonce')).toBe(fresh);
		expect(servers.resourceServer.stats.rejections).toEqual({'nonce-missing': 1, 'nonce-stale': 1, 'no-token': 1});
	});

	test('rotateNonceEvery: the 200 that rotates carries the new nonce, and the old one is then stale', async () => {
		const servers = await start({resource: {requireNonce: true, initialNonce: 'first', rotateNonceEvery: 1}});
		const {key, token, url, get} = await resourceFixture(servers);
		const accepted = await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token, nonce: 'first'}));
		expect(accepted.status).toBe(200);
		const next = accepted.headers.get('dpop-nonce');
		expect(next).not.toBe('first');
		expect(next).toBe(servers.resourceServer.nonce);
		expectRefused(await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token, nonce: 'first'})), 'use_dpop_nonce');
	});
});

describe('resource server: redirects and challenges', () => {
	test('a redirect path answers 302 to its location without looking at credentials', async () => {
		const servers = await start({resource: {redirects: {'/moved': 'http://127.0.0.1:9/elsewhere'}}});
		const reply = await call(servers.resourceServer.urlFor('/moved'), {authorization: 'DPoP whatever'});
		expect(reply.status).toBe(302);
		expect(reply.headers.get('location')).toBe('http://127.0.0.1:9/elsewhere');
		expect(servers.resourceServer.stats).toMatchObject({redirects: 1, rejections: {}});
		expect(servers.resourceServer.requests[0]?.headers.authorization).toBe('DPoP whatever');
	});

	test('a step-up challenge is answered to a valid request (times: 1), then the path is accepted', async () => {
		const servers = await start({
			resource: {challenges: {'/api/items': {error: 'insufficient_user_authentication', params: {acr_values: 'urn:example:mfa', max_age: '0'}, times: 1}}},
		});
		const {key, token, url, get} = await resourceFixture(servers);
		const challenged = await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token}));
		expect(challenged.status).toBe(401);
		const header = challenged.headers.get('www-authenticate') ?? '';
		expect(header).toMatch(/^DPoP error="insufficient_user_authentication"/);
		expect(header).toContain('acr_values="urn:example:mfa"');
		expect(header).toContain('max_age="0"');
		expect((await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token}))).status).toBe(200);
		expect(servers.resourceServer.stats.rejections).toEqual({insufficient_user_authentication: 1});
	});

	test('a claims challenge is only answered once the proof is valid', async () => {
		const servers = await start();
		servers.resourceServer.setChallenge('/api/items', {error: 'insufficient_claims', params: {claims: 'eyJhY2Nlc3NfdG9rZW4iOnt9fQ'}});
		const {key, token, url, get} = await resourceFixture(servers);
		expectRefused(await get(await makeProof(key, {htm: 'POST', htu: url, accessToken: token})), 'invalid_dpop_proof');
		const challenged = await get(await makeProof(key, {htm: 'GET', htu: url, accessToken: token}));
		expect(challenged.headers.get('www-authenticate')).toMatch(/^DPoP error="insufficient_claims".*claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ"/);
		expect(servers.resourceServer.stats.rejections).toEqual({htm: 1, insufficient_claims: 1});
	});
});

describe('token server', () => {
	test('requireNonce: the first proof gets 400 use_dpop_nonce with DPoP-Nonce; with it, a DPoP token bound to the key', async () => {
		const servers = await start({token: {requireNonce: true, initialNonce: 'as-1', accessTokenLifetimeSeconds: 600}});
		const {tokenServer, resourceServer} = servers;
		const key = await createProofKey();
		const form = {grant_type: 'client_credentials', client_id: 'machine'};
		const first = await call(tokenServer.tokenEndpoint, {form, proof: await makeProof(key, {htm: 'POST', htu: tokenServer.tokenEndpoint})});
		expect(first.status).toBe(400);
		expect(first.body.error).toBe('use_dpop_nonce');
		expect(first.headers.get('dpop-nonce')).toBe('as-1');

		const second = await call(tokenServer.tokenEndpoint, {form, proof: await makeProof(key, {htm: 'POST', htu: tokenServer.tokenEndpoint, nonce: 'as-1'})});
		expect(second.status).toBe(200);
		expect(second.body).toMatchObject({token_type: 'DPoP', expires_in: 600});
		expect(second.headers.get('cache-control')).toBe('no-store');
		const accessToken = String(second.body.access_token);
		expect(tokenServer.validate(accessToken)).toMatchObject({sub: 'machine', jkt: key.jkt});
		expect(tokenServer.stats).toMatchObject({grantRequests: {client_credentials: 2, refresh_token: 0}, grants: {client_credentials: 1, refresh_token: 0}, rejections: {'nonce-missing': 1}});

		const url = resourceServer.urlFor('/api/items');
		const used = await call(url, {authorization: `DPoP ${accessToken}`, proof: await makeProof(key, {htm: 'GET', htu: url, accessToken})});
		expect(used.body).toEqual({ok: true, sub: 'machine', path: '/api/items'});
	});

	test('a proof for another URL, a replayed proof and no proof are 400 invalid_dpop_proof', async () => {
		const {tokenServer, resourceServer} = await start();
		const key = await createProofKey();
		const form = {grant_type: 'client_credentials', client_id: 'machine'};
		const wrong = await call(tokenServer.tokenEndpoint, {form, proof: await makeProof(key, {htm: 'POST', htu: resourceServer.urlFor('/token')})});
		expect(wrong.status).toBe(400);
		expect(wrong.body.error).toBe('invalid_dpop_proof');
		const proof = await makeProof(key, {htm: 'POST', htu: tokenServer.tokenEndpoint});
		expect((await call(tokenServer.tokenEndpoint, {form, proof})).status).toBe(200);
		expect((await call(tokenServer.tokenEndpoint, {form, proof})).body.error).toBe('invalid_dpop_proof');
		expect((await call(tokenServer.tokenEndpoint, {form})).body.error).toBe('invalid_dpop_proof');
		expect(tokenServer.stats).toMatchObject({rejections: {htu: 1, replay: 1, 'dpop-header-count': 1}, replays: 1, grants: {client_credentials: 1}});
	});

	test('refresh tokens rotate; a spent one is reuse (invalid_grant) and revokes its successor', async () => {
		const {tokenServer} = await start();
		const key = await createProofKey();
		const refresh = async (refreshToken: string, by: ProofKey = key) =>
			call(tokenServer.tokenEndpoint, {form: {grant_type: 'refresh_token', refresh_token: refreshToken}, proof: await makeProof(by, {htm: 'POST', htu: tokenServer.tokenEndpoint})});
		const seeded = tokenServer.issueRefreshToken({sub: 'alice', jkt: key.jkt});
		const first = await refresh(seeded);
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({token_type: 'DPoP'});
		const successor = String(first.body.refresh_token);
		expect(successor).not.toBe(seeded);
		expect(tokenServer.validate(String(first.body.access_token))).toMatchObject({sub: 'alice', jkt: key.jkt});

		const reused = await refresh(seeded);
		expect(reused.status).toBe(400);
		expect(reused.body.error).toBe('invalid_grant');
		expect((await refresh(successor)).body.error).toBe('invalid_grant');
		expect(tokenServer.stats).toMatchObject({reuse: 1, rejections: {'refresh-reuse': 1, 'refresh-revoked': 1}, grants: {refresh_token: 1}, grantRequests: {refresh_token: 3}});
	});

	test('a refresh token bound to a key is refused with another key and stays unspent; a seeded one binds on first use', async () => {
		const {tokenServer} = await start();
		const key = await createProofKey();
		const other = await createProofKey();
		const refresh = async (refreshToken: string, by: ProofKey) =>
			call(tokenServer.tokenEndpoint, {form: {grant_type: 'refresh_token', refresh_token: refreshToken}, proof: await makeProof(by, {htm: 'POST', htu: tokenServer.tokenEndpoint})});
		const bound = tokenServer.issueRefreshToken({sub: 'alice', jkt: key.jkt});
		expect((await refresh(bound, other)).body.error).toBe('invalid_grant');
		expect((await refresh(bound, key)).status).toBe(200);

		const unbound = tokenServer.issueRefreshToken({sub: 'bob'});
		const firstUse = await refresh(unbound, other);
		expect(firstUse.status).toBe(200);
		expect((await refresh(String(firstUse.body.refresh_token), key)).body.error).toBe('invalid_grant');
		expect(tokenServer.stats.rejections).toEqual({'refresh-key-mismatch': 2});
		expect(tokenServer.stats.reuse).toBe(0);
	});

	test('a nonce challenge does not spend the refresh token', async () => {
		const {tokenServer} = await start({token: {requireNonce: true}});
		const key = await createProofKey();
		const form = {grant_type: 'refresh_token', refresh_token: tokenServer.issueRefreshToken({sub: 'alice', jkt: key.jkt})};
		const challenged = await call(tokenServer.tokenEndpoint, {form, proof: await makeProof(key, {htm: 'POST', htu: tokenServer.tokenEndpoint})});
		expect(challenged.body.error).toBe('use_dpop_nonce');
		const nonce = challenged.headers.get('dpop-nonce') ?? '';
		expect(nonce).toBe(tokenServer.nonce);
		const retried = await call(tokenServer.tokenEndpoint, {form, proof: await makeProof(key, {htm: 'POST', htu: tokenServer.tokenEndpoint, nonce, jti: randomUUID()})});
		expect(retried.status).toBe(200);
		expect(retried.headers.get('dpop-nonce')).toBe(nonce);
		expect(tokenServer.stats).toMatchObject({reuse: 0, grants: {refresh_token: 1}});
	});
});

describe('options', () => {
	test('wrong options are a TypeError saying what was expected and what was got', async () => {
		const tokens = createTokenRegistry();
		// @ts-expect-error: no token validator
		await expect(startDPoPResourceServer({})).rejects.toThrow(/options\.tokens: expected a TokenValidator.*got undefined/);
		await expect(startDPoPResourceServer({tokens, iatWindowSeconds: 0})).rejects.toThrow(/iatWindowSeconds: expected a positive number of seconds, got 0/);
		await expect(startDPoPTokenServer({algorithms: ['HS256']})).rejects.toThrow(/algorithms: expected a non-empty list of asymmetric JWS algorithms, got \["HS256"\]/);
		await expect(startDPoPTokenServer({requireNonce: true, initialNonce: 'a "b"'})).rejects.toThrow(/initialNonce: expected .*NQCHAR.*got "a \\"b\\""/);
		await expect(startDPoPTokenServer({clockOffsetMs: Number.NaN})).rejects.toThrow(/clockOffsetMs: expected a finite number of milliseconds, got NaN/);
		await expect(startDPoPResourceServer({tokens, challenges: {'no-slash': {error: 'x'}}})).rejects.toThrow(/setChallenge: expected a path starting with "\/", got "no-slash"/);
	});
});
