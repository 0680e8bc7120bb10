/**
 * The storm and retry paths through a TCP fault proxy (test/helpers/fault-proxy.ts) in front of a real
 * node:http API and token endpoint: bytes trickled, the token endpoint reset mid-headers or stalled, the retry
 * cut mid-body. Every request and refresh goes through the proxy; nothing synchronizes on sleeps.
 */
import {HTTPError, KyError, NetworkError} from 'ky';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {
	AuthenticationError, createAuthClient, createAuthFetch, createAuthSession, memoryStore, RefreshError,
	type RefreshContext, type TokenSet, type TokenStore,
} from '../../src/index.js';
import {startApiServer, type ApiServer} from '../helpers/api-server.js';
import {startFaultProxy, type FaultProxy, type ProxiedRequest} from '../helpers/fault-proxy.js';

let server: ApiServer;
let proxy: FaultProxy;

beforeEach(async () => {
	server = await startApiServer();
	proxy = await startFaultProxy({host: '127.0.0.1', port: Number(new URL(server.origin).port)});
});

afterEach(async () => {
	await proxy.close();
	await server.close();
});

const isToken = (request: ProxiedRequest): boolean => request.method === 'POST' && request.path === '/token';
const isApi = (request: ProxiedRequest): boolean => !isToken(request);

/** The session's refresh: the token endpoint through the proxy, with plain fetch. */
function refreshThroughProxy() {
	return async ({signal}: RefreshContext): Promise<TokenSet | null> => {
		const response = await fetch(`${proxy.origin}/token`, {method: 'POST', body: 'grant_type=refresh_token', signal});
		if (response.status === 400) {
			return null;
		}
		const body = await response.json() as {access_token: string; refresh_token: string; expires_in: number};
		return {accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in};
	};
}

/** A session signed in with a token the server accepts, on a clock the test can move past the token's expiry. */
async function signedIn(options: {refreshTimeout?: number} = {}) {
	const clock = {now: Date.now()};
	const store: TokenStore = memoryStore();
	const session = createAuthSession({store, refresh: refreshThroughProxy(), now: () => clock.now, ...options});
	const accessToken = server.issue();
	await session.signIn({accessToken, refreshToken: 'rt-0', expiresIn: 300});
	return {session, store, accessToken, expire: () => {
		clock.now += 301_000;
	}};
}

async function storedAccessToken(store: TokenStore): Promise<string | undefined> {
	const record = await store.get();
	if (record === null) {
		return undefined;
	}
	return 'tokens' in record ? record.tokens.accessToken : record.accessToken;
}

/** `count` requests at once, alternating GET and POST (JSON body), on the ky client; settled, never thrown. */
async function storm(session: Awaited<ReturnType<typeof signedIn>>['session'], count: number) {
	const api = createAuthClient(session, {baseUrl: proxy.url, retry: 0});
	return Promise.allSettled(Array.from({length: count}, async (_, index) => (index % 2 === 0
		? api.get(`echo?i=${index}`).json()
		: api.post('echo', {json: {index}}).json())));
}

describe('through a fault proxy', () => {
	it('a storm of 50 GET and POST on a revoked token with API bytes trickled: one refresh, every request succeeds, every body intact', async () => {
		const {session} = await signedIn();
		const api = createAuthClient(session, {baseUrl: proxy.url, retry: 0});
		server.revokeAll();
		proxy.setMode('trickle', isApi);
		const payloads = Array.from({length: 50}, (_, index) => ({index, text: `ü€😀 ${'x'.repeat(index * 3)}`, list: [index, {nested: index % 7 === 0}]}));
		const results = await Promise.all(payloads.map(async (payload, index) => (index % 2 === 0
			? api.get(`echo?i=${index}`).json<{method: string; body: string}>()
			: api.post('echo', {json: payload}).json<{method: string; body: string}>())));

		expect(server.tokenCalls).toBe(1);
		expect(proxy.requests.filter(request => isToken(request))).toEqual([expect.objectContaining({mode: 'pass'})]);
		// 50 first attempts (401) and 50 retries (200), every one trickled both ways
		const apiRequests = proxy.requests.filter(request => isApi(request));
		expect(apiRequests).toHaveLength(100);
		expect(apiRequests.every(request => request.mode === 'trickle')).toBe(true);
		for (const [index, result] of results.entries()) {
			expect(result.method).toBe(index % 2 === 0 ? 'GET' : 'POST');
		}
		const posts = server.seen.filter(entry => entry.method === 'POST');
		expect(posts).toHaveLength(50);
		for (const [index, payload] of payloads.entries()) {
			if (index % 2 === 0) {
				continue;
			}
			const sent = JSON.stringify(payload);
			const arrived = posts.filter(entry => (JSON.parse(entry.body) as {index: number}).index === index);
			// the 401'd attempt and the retry: both arrived byte for byte
			expect(arrived.map(entry => entry.body)).toEqual([sent, sent]);
			expect(arrived.map(entry => entry.contentType)).toEqual(['application/json', 'application/json']);
			expect(JSON.parse(results[index]?.body ?? '')).toEqual(payload);
		}
	});

	it('the token endpoint reset mid-headers: every waiting request rejects with RefreshError, the tokens are kept, and after the fault one refresh succeeds', async () => {
		const {session, store, accessToken, expire} = await signedIn();
		expire();
		proxy.setMode('reset-headers', isToken);
		const failed = await storm(session, 20);

		expect(failed.every(result => result.status === 'rejected')).toBe(true);
		for (const result of failed) {
			const reason: unknown = result.status === 'rejected' ? result.reason : undefined;
			expect(reason).toBeInstanceOf(RefreshError);
			expect((reason as RefreshError).code).toBe('REFRESH_FAILED');
		}
		// one refresh for all 20: the token endpoint answered, the proxy cut its answer
		expect(server.tokenCalls).toBe(1);
		expect(proxy.requests.filter(request => isToken(request))).toEqual([expect.objectContaining({mode: 'reset-headers'})]);
		expect(server.seen).toEqual([]);
		expect(session.getSnapshot()).toMatchObject({status: 'signedIn', error: expect.any(RefreshError)});
		expect(await storedAccessToken(store)).toBe(accessToken);

		proxy.setMode('pass');
		const response = await createAuthFetch(session, {baseUrl: proxy.url})(`${proxy.origin}/echo`, {method: 'POST', body: 'after'});
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({method: 'POST', body: 'after'});
		expect(server.tokenCalls).toBe(2);
		expect(session.getSnapshot()).toMatchObject({status: 'signedIn', error: null});
		expect(await storedAccessToken(store)).not.toBe(accessToken);
	});

	it('the token endpoint stalled past refreshTimeout: every waiter rejects with REFRESH_TIMEOUT, nothing hangs', async () => {
		const {session, store, accessToken, expire} = await signedIn({refreshTimeout: 300});
		expire();
		proxy.setMode('stall', isToken);
		const failed = await storm(session, 20);

		for (const result of failed) {
			const reason: unknown = result.status === 'rejected' ? result.reason : undefined;
			expect(reason).toBeInstanceOf(RefreshError);
			expect((reason as RefreshError).code).toBe('REFRESH_TIMEOUT');
		}
		// one refresh, read by the proxy and never forwarded
		expect(proxy.requests.filter(request => isToken(request))).toEqual([expect.objectContaining({mode: 'stall'})]);
		expect(server.tokenCalls).toBe(0);
		expect(server.seen).toEqual([]);
		expect(session.getSnapshot().status).toBe('signedIn');
		expect(await storedAccessToken(store)).toBe(accessToken);

		proxy.setMode('pass');
		await expect(createAuthClient(session, {baseUrl: proxy.url, retry: 0}).get('echo').json()).resolves.toMatchObject({method: 'GET'});
		expect(proxy.requests.filter(request => isToken(request))).toHaveLength(2);
		expect(server.tokenCalls).toBe(1);
	});

	for (const fault of ['reset-body', 'reset-headers'] as const) {
		it(`the retry after a 401 cut by the proxy (${fault}): a network error, not an auth error; still signed in, no second refresh`, async () => {
			const {session, store} = await signedIn();
			const api = createAuthClient(session, {baseUrl: proxy.url, retry: 0});
			server.revokeAll();
			let echoes = 0;
			// the first attempt passes (401); the retry, with the refreshed token, is cut
			proxy.setMode(fault, request => request.path.startsWith('/echo') && ++echoes === 2);
			const error: unknown = await api.get('echo').json().catch((caught: unknown) => caught);

			expect(error).not.toBeInstanceOf(AuthenticationError);
			expect(error).not.toBeInstanceOf(RefreshError);
			expect(error).not.toBeInstanceOf(HTTPError);
			if (fault === 'reset-headers') {
				// fetch() itself rejected: ky wraps it
				expect(error).toBeInstanceOf(NetworkError);
				expect(error).toBeInstanceOf(KyError);
			} else {
				// fetch() resolved with the 200's headers; reading the cut body fails with undici's own
				// network TypeError, which ky's .json() passes through unwrapped
				expect(error).toBeInstanceOf(TypeError);
				expect((error as TypeError).message).toBe('terminated');
			}
			expect(server.seen.map(entry => entry.path)).toEqual(['/echo', '/echo']);
			expect(proxy.requests.map(request => [request.path, request.mode])).toEqual([['/echo', 'pass'], ['/token', 'pass'], ['/echo', fault]]);
			expect(server.tokenCalls).toBe(1);
			expect(session.getSnapshot()).toMatchObject({status: 'signedIn', error: null});
			const refreshed = await storedAccessToken(store);
			expect(server.seen[1]?.authorization).toBe(`Bearer ${refreshed}`);

			// the refreshed token is still good: the next request needs no refresh
			await expect(api.get('echo').json()).resolves.toMatchObject({method: 'GET'});
			expect(server.tokenCalls).toBe(1);
		});
	}
});
