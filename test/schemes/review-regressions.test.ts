/**
 * Regressions from a review of the scheme seam (issue 11): each test failed on the code before its fix.
 */
import {inspect} from 'node:util';
import {afterEach, describe, expect, it} from 'vitest';
import {apiKey, basic, bearer, createAuthClient, createAuthFetch, createAuthSession} from '../../src/index.js';
import {dpop, memoryKeys} from '../../src/schemes/dpop/index.js';
import {deferred, flush} from '../helpers/deferred.js';
import {answer, closeOrigins, redirect, startOrigin} from './origins.js';

afterEach(closeOrigins);

const key = 'REVIEW-KEY-5f1c2a';

describe('a redirect that ky-auth follows (per-hop schemes)', () => {
	it('drops the caller\'s Cookie, Proxy-Authorization and Host on a cross-origin hop, as Node\'s fetch does', async () => {
		const b = await startOrigin();
		const a = await startOrigin({reply: (_request, response) => redirect(response, 302, b.url('/landing'))});
		const authFetch = createAuthFetch(createAuthSession(), {schemes: [{origins: [a.origin], scheme: apiKey({header: 'X-API-Key', key})}]});
		await authFetch(a.url('/start'), {headers: {cookie: 'sid=COOKIE-SECRET', 'proxy-authorization': 'Basic cHJveHk6U0VDUkVU'}});
		expect(a.seen[0]?.headers.cookie).toBe('sid=COOKIE-SECRET');
		const [hop] = b.seen;
		expect(hop?.headers.cookie).toBeUndefined();
		expect(hop?.headers['proxy-authorization']).toBeUndefined();
		expect(hop?.headers['x-api-key']).toBeUndefined();
		expect(hop?.headers.host).toBe(new URL(b.origin).host);
	});

	it('is not followed by a user fetch that drops its init: the key never reaches the other origin', async () => {
		const b = await startOrigin();
		const a = await startOrigin({reply: (_request, response) => redirect(response, 302, b.url('/landing'))});
		const client = createAuthClient(createAuthSession(), {
			fetch: async input => globalThis.fetch(input),
			retry: 0,
			schemes: [{origins: [a.origin], scheme: apiKey({header: 'X-API-Key', key})}],
		});
		await client.get(a.url('/start'));
		expect(a.seen[0]?.headers['x-api-key']).toBe(key);
		expect(b.seen.map(request => request.headers['x-api-key'])).toEqual([undefined]);
	});

	it('a Location with another scheme (data:) is a network error, not a 200 made up from the URL', async () => {
		const a = await startOrigin({reply: (_request, response) => redirect(response, 302, 'data:application/json,{"admin":true}')});
		const authFetch = createAuthFetch(createAuthSession(), {schemes: [{origins: [a.origin], scheme: apiKey({header: 'X-API-Key', key})}]});
		await expect(authFetch(a.url('/start'))).rejects.toThrow(/redirect to a data: URL/);
	});
});

describe('a query-parameter key', () => {
	it('shows in no clone of the response: afterResponse hooks, response.clone() and an HTTPError all read the URL without it', async () => {
		const a = await startOrigin({reply: (_request, response) => answer(response, 500, {error: 'boom'})});
		const scheme = apiKey({query: 'api_key', key});
		const hookUrls: string[] = [];
		const client = createAuthClient(createAuthSession(), {
			retry: 0,
			schemes: [{origins: [a.origin], scheme}],
			hooks: {afterResponse: [({response}) => {
				hookUrls.push(response.url);
				return response;
			}]},
		});
		const error = await client.get(a.url('/items')).catch((caught: unknown) => caught);
		expect(a.seen[0]?.url.searchParams.get('api_key')).toBe(key);
		expect(hookUrls).toEqual([a.url('/items')]);
		expect(inspect(error, {depth: 10, showHidden: true})).not.toContain(key);
		const response = await createAuthFetch(createAuthSession(), {schemes: [{origins: [a.origin], scheme}]})(a.url('/items'));
		expect(response.clone().url).toBe(a.url('/items'));
		expect(response.clone().clone().url).toBe(a.url('/items'));
	});

	it('a POST whose streamed body never ends settles on abort', async () => {
		const a = await startOrigin();
		const authFetch = createAuthFetch(createAuthSession(), {schemes: [{origins: [a.origin], scheme: apiKey({query: 'api_key', key})}]});
		const controller = new AbortController();
		const endless = new ReadableStream<Uint8Array>({pull: async () => new Promise(() => undefined)});
		const sent = authFetch(a.url('/upload'), {method: 'POST', body: endless, signal: controller.signal, duplex: 'half'} as RequestInit);
		controller.abort(new Error('user gave up'));
		await expect(sent).rejects.toThrow('user gave up');
		expect(a.seen).toEqual([]);
	});
});

describe('credentials that take time', () => {
	it('an abort ends the wait for a key function that never answers', async () => {
		const a = await startOrigin();
		const authFetch = createAuthFetch(createAuthSession(), {schemes: [{origins: [a.origin], scheme: apiKey({header: 'X-API-Key', key: async () => new Promise<string>(() => undefined)})}]});
		const controller = new AbortController();
		const sent = authFetch(a.url('/x'), {signal: controller.signal});
		controller.abort(new Error('gave up waiting'));
		await expect(sent).rejects.toThrow('gave up waiting');
		expect(a.seen).toEqual([]);
	});

	it('a password that arrives after ky gave up (timeout) is never set on the request, and nothing is sent', async () => {
		const origin = 'http://127.0.0.1:9';
		const password = deferred<string>();
		const sends: Request[] = [];
		const client = createAuthClient(createAuthSession(), {
			retry: 0,
			timeout: 30,
			// A fetch that ignores the abort and never settles: what would be set on the request would stay there.
			fetch: async request => {
				sends.push(request as Request);
				return new Promise<Response>(() => undefined);
			},
			schemes: [{origins: [origin], scheme: basic({username: 'reports', password: async () => password.promise})}],
		});
		const error = await client.get(`${origin}/x`).catch((caught: unknown) => caught) as {name: string; request: Request};
		expect(error.name).toBe('TimeoutError');
		password.resolve('basic-LATE-SECRET');
		await flush();
		expect(error.request.headers.get('authorization')).toBeNull();
		expect(sends).toEqual([]);
	});
});

describe('ky\'s retry after a timeout', () => {
	it('shouldRetry and beforeRetry hooks see the request, and the timed-out one in the error, without the token its pending send still holds', async () => {
		const origin = 'http://127.0.0.1:9';
		const session = createAuthSession();
		await session.signIn({accessToken: 'retry-SECRET-TOKEN', expiresIn: 3600});
		const seenByHook: Array<string | null> = [];
		const seenByShouldRetry: Array<string | null> = [];
		let sends = 0;
		const client = createAuthClient(session, {
			prefix: origin,
			timeout: 30,
			retry: {limit: 1, retryOnTimeout: true, delay: () => 0, shouldRetry: ({error}) => {
				seenByShouldRetry.push((error as {request?: Request}).request?.headers.get('authorization') ?? null);
				return true;
			}},
			// The first send ignores the abort and never settles; the retry answers.
			fetch: async () => (++sends === 1 ? new Promise<Response>(() => undefined) : new Response('{}', {status: 200})),
			hooks: {beforeRetry: [({request, error}) => {
				seenByHook.push(request.headers.get('authorization'), (error as {request?: Request}).request?.headers.get('authorization') ?? null);
			}]},
		});
		await client.get('x');
		expect(sends).toBe(2);
		expect(seenByShouldRetry).toEqual([null]);
		expect(seenByHook).toEqual([null, null]);
	});
});

describe('a DPoP nonce retry', () => {
	it('is never sent across a sign-out and another sign-in with the first sign-in\'s token', async () => {
		const held = deferred<void>();
		const a = await startOrigin({reply: (request, response) => {
			if (request.headers.authorization === 'DPoP alice-TOKEN') {
				void held.promise.then(() => answer(response, 401, {}, {'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': 'n-1'}));
				return;
			}
			answer(response, 200, {authorization: request.headers.authorization});
		}});
		const session = createAuthSession();
		await session.signIn({accessToken: 'alice-TOKEN', tokenType: 'DPoP'});
		const authFetch = createAuthFetch(session, {allowedOrigins: [a.origin], scheme: dpop({keys: memoryKeys()})});
		const sent = authFetch(a.url('/x'));
		await expect.poll(() => a.seen.length).toBe(1);
		await session.signOut();
		await session.signIn({accessToken: 'bob-TOKEN', tokenType: 'DPoP'});
		held.resolve();
		const response = await sent;
		expect(response.status).toBe(401);
		expect(a.seen.map(request => request.headers.authorization)).toEqual(['DPoP alice-TOKEN']);
	});
});

describe('options', () => {
	it('a scheme with no origin to go to is a TypeError, not silently unused', () => {
		const b = 'https://b.example.test';
		expect(() => createAuthFetch(createAuthSession(), {scheme: bearer({scheme: 'Token'}), schemes: [{origins: [b], scheme: apiKey({header: 'X-API-Key', key})}]}))
			.toThrow(/options\.scheme: expected origins to send it to/);
	});
});
