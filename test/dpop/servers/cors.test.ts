import {afterEach, describe, expect, test} from 'vitest';
import {createProofKey, makeProof} from './make-proof.js';
import {startDPoPServers, type DPoPServers, type DPoPServersOptions} from './start-servers.js';
import {startDPoPTokenServer} from './token-server.js';

const running: DPoPServers[] = [];
afterEach(async () => {
	await Promise.all(running.splice(0).map(async servers => servers.close()));
});

async function start(options: DPoPServersOptions = {}): Promise<DPoPServers> {
	const servers = await startDPoPServers(options);
	running.push(servers);
	return servers;
}

const pageOrigin = 'http://localhost:63315';

/** What a browser sends before a request with `Authorization` and `DPoP`. */
async function preflight(url: string): Promise<Response> {
	return fetch(url, {
		method: 'OPTIONS',
		headers: {origin: pageOrigin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,dpop'},
	});
}

/** A valid DPoP GET of the resource server (nonces on: the first answer is a use_dpop_nonce 401). */
async function get(servers: DPoPServers): Promise<Response> {
	const key = await createProofKey();
	const token = servers.tokenServer.issueAccessToken({sub: 'alice', jkt: key.jkt});
	const url = servers.resourceServer.urlFor('/items');
	return fetch(url, {headers: {origin: pageOrigin, authorization: `DPoP ${token}`, dpop: await makeProof(key, {htm: 'GET', htu: url, accessToken: token})}});
}

describe('CORS mode (opt-in)', () => {
	test('off by default: no CORS header on answers, and an OPTIONS request is handled (and refused) like any other', async () => {
		const servers = await start({resource: {requireNonce: true}});
		expect(servers.resourceServer.cors).toBeUndefined();
		const answer = await get(servers);
		expect(answer.headers.get('access-control-allow-origin')).toBeNull();
		expect(answer.headers.get('access-control-expose-headers')).toBeNull();
		const options = await preflight(servers.resourceServer.urlFor('/items'));
		expect(options.status).toBe(401);
		expect(servers.resourceServer.stats.requests).toBe(2);
	});

	test('on: preflights are answered 204 with the allowed headers and not counted; answers expose DPoP-Nonce, Date and WWW-Authenticate', async () => {
		const servers = await start({cors: true, token: {requireNonce: true}, resource: {requireNonce: true}});
		for (const url of [servers.resourceServer.urlFor('/items'), servers.tokenServer.tokenEndpoint]) {
			const answer = await preflight(url);
			expect(answer.status).toBe(204);
			expect(answer.headers.get('access-control-allow-origin')).toBe('*');
			expect(answer.headers.get('access-control-allow-headers')).toBe('authorization, dpop, content-type');
			expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
		}
		expect(servers.resourceServer.stats.requests).toBe(0);
		expect(servers.tokenServer.stats.requests).toBe(0);
		expect(servers.resourceServer.cors?.preflights).toBe(1);
		expect(servers.tokenServer.cors?.preflights).toBe(1);

		const answer = await get(servers);
		expect(answer.status).toBe(401);
		expect(answer.headers.get('access-control-allow-origin')).toBe('*');
		expect(answer.headers.get('access-control-expose-headers')).toBe('DPoP-Nonce, Date, WWW-Authenticate');
		expect(answer.headers.get('dpop-nonce')).toBe(servers.resourceServer.nonce);
	});

	test('exposure is configurable, also while running; request-origin echoes the Origin with Vary', async () => {
		const servers = await start({cors: {exposeHeaders: ['WWW-Authenticate']}, resource: {cors: {allowOrigin: 'request-origin'}}});
		const answer = await get(servers);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('access-control-allow-origin')).toBe(pageOrigin);
		expect(answer.headers.get('vary')).toBe('Origin');
		expect(answer.headers.get('access-control-expose-headers')).toBe('DPoP-Nonce, Date, WWW-Authenticate');
		servers.resourceServer.cors?.setExposeHeaders([]);
		expect((await get(servers)).headers.get('access-control-expose-headers')).toBeNull();

		const token = await fetch(servers.tokenServer.tokenEndpoint, {method: 'POST'});
		expect(token.headers.get('access-control-allow-origin')).toBe('*');
		expect(token.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate');
	});

	test('wrong CORS options are a TypeError saying what was expected and what was got', async () => {
		await expect(startDPoPTokenServer({cors: {exposeHeaders: ['Date', 'a b']}})).rejects.toThrow(/options\.cors\.exposeHeaders: expected a list of header names, got \["Date","a b"\]/);
		// @ts-expect-error a wrong allowOrigin on purpose
		await expect(startDPoPTokenServer({cors: {allowOrigin: 'https://app.example'}})).rejects.toThrow(/options\.cors\.allowOrigin: expected '\*' or 'request-origin', got "https:\/\/app\.example"/);
		const servers = await start({cors: true});
		expect(() => servers.tokenServer.cors?.setExposeHeaders(['ok', ''])).toThrow(/setExposeHeaders: expected a list of header names, got \["ok",""\]/);
	});
});
