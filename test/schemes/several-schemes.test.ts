import {HTTPError} from 'ky';
import {afterEach, describe, expect, it} from 'vitest';
import {apiKey, AuthenticationError, basic, createAuthClient, createAuthFetch, type AuthSession, type SchemeBinding} from '../../src/index.js';
import {basicHeader, basicPassword, basicUser, bearerToken, countingSession, credentialsIn, headerKey, noCredentials} from './cases.js';
import {answer, closeOrigins, ok, startOrigin, type Origin, type Reply} from './origins.js';

afterEach(closeOrigins);

/** /denied answers 401 (with `challenge`); anything else 200. */
function deniedAnswers401(challenge: string): Reply {
	return (request, response) => {
		if (request.url.pathname === '/denied') {
			answer(response, 401, {}, {'www-authenticate': challenge});
			return;
		}
		ok(request, response);
	};
}

interface Four {
	a: Origin;
	b: Origin;
	c: Origin;
	d: Origin;
	schemes: SchemeBinding[];
}

/**
 * A: the session's bearer token (the baseUrl); /denied answers 401 invalid_token to any token but a refreshed one.
 * B: an API key in X-API-Key; C: Basic; D: bound to nothing. B's and C's /denied answer 401.
 */
async function fourOrigins(): Promise<Four> {
	const [a, b, c, d] = await Promise.all([startOrigin(), startOrigin(), startOrigin(), startOrigin()]);
	a.reply = (request, response) => {
		if (request.url.pathname === '/denied' && request.headers.authorization?.startsWith('Bearer refreshed-') !== true) {
			answer(response, 401, {}, {'www-authenticate': 'Bearer error="invalid_token"'});
			return;
		}
		ok(request, response);
	};
	b.reply = deniedAnswers401('ApiKey realm="b"');
	c.reply = deniedAnswers401('Basic realm="c"');
	const schemes = [
		{origins: [b.origin], scheme: apiKey({header: 'X-API-Key', key: headerKey})},
		{origins: [c.origin], scheme: basic({username: basicUser, password: basicPassword})},
	];
	return {a, b, c, d, schemes};
}

async function expectEachOwnCredential(send: (url: string) => Promise<unknown>, {a, b, c, d}: Four): Promise<void> {
	await send(a.url('/x'));
	await send(b.url('/x'));
	await send(c.url('/x'));
	await send(d.url('/x'));
	expect(a.seen.map(seen => credentialsIn(seen))).toEqual([{...noCredentials, authorization: `Bearer ${bearerToken}`}]);
	expect(b.seen.map(seen => credentialsIn(seen))).toEqual([{...noCredentials, apiKeyHeader: headerKey}]);
	expect(c.seen.map(seen => credentialsIn(seen))).toEqual([{...noCredentials, authorization: basicHeader}]);
	expect(d.seen.map(seen => credentialsIn(seen))).toEqual([noCredentials]);
}

function client(session: AuthSession, four: Four) {
	return createAuthClient(session, {baseUrl: four.a.url('/'), schemes: four.schemes, retry: 0});
}

describe('one client, several schemes: Bearer on A, an API key on B, Basic on C, nothing on D', () => {
	it('each origin receives its own credential and nothing else; the unlisted origin D receives none', async () => {
		const four = await fourOrigins();
		const {session, refreshes} = await countingSession();
		const api = client(session, four);
		await expectEachOwnCredential(async url => api.get(url), four);
		expect(refreshes).toHaveLength(0);
	});

	it('createAuthFetch with the same options does the same', async () => {
		const four = await fourOrigins();
		const {session} = await countingSession();
		const authFetch = createAuthFetch(session, {baseUrl: four.a.url('/'), schemes: four.schemes});
		await expectEachOwnCredential(async url => authFetch(url), four);
	});

	it.each(['b', 'c'] as const)('a 401 from %s (a static scheme): 0 refreshes, an AuthenticationError, sent once', async name => {
		const four = await fourOrigins();
		const {session, refreshes} = await countingSession();

		const error = await client(session, four).get(four[name].url('/denied')).catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(AuthenticationError);
		expect((error as AuthenticationError).code).toBe('AUTHENTICATION_FAILED');
		expect(refreshes).toHaveLength(0);
		expect(four[name].seen).toHaveLength(1);
		expect(await session.getAccessToken()).toBe(bearerToken);
	});

	it('a 401 from A (the session\'s bearer token): exactly 1 refresh and 1 retry with the new token', async () => {
		const four = await fourOrigins();
		const {session, refreshes} = await countingSession();

		expect(await client(session, four).get(four.a.url('/denied')).json()).toEqual({method: 'GET', path: '/denied'});

		expect(refreshes.map(context => context.reason)).toEqual(['unauthorized']);
		expect(four.a.seen.map(seen => seen.headers.authorization)).toEqual([`Bearer ${bearerToken}`, 'Bearer refreshed-1']);
	});

	it('.extend() keeps the bindings (object and function forms)', async () => {
		const four = await fourOrigins();
		const {session} = await countingSession();
		const parent = client(session, four);
		const child = parent.extend({headers: {'x-trace': 'child'}});
		const grandchild = child.extend(options => ({...options, headers: {'x-trace': 'grandchild'}}));

		await expectEachOwnCredential(async url => child.get(url), four);
		for (const origin of [four.a, four.b, four.c, four.d]) {
			origin.seen.length = 0;
		}
		await expectEachOwnCredential(async url => grandchild.get(url), four);
		expect(four.d.seen[0]?.headers['x-trace']).toBe('grandchild');
	});

	it('a request that already carries X-API-Key (to B) or Authorization (to A, C) is sent untouched', async () => {
		const four = await fourOrigins();
		const {session, refreshes} = await countingSession();
		const api = client(session, four);

		await api.get(four.b.url('/x'), {headers: {'X-API-Key': 'callers-own-key'}});
		await api.get(four.c.url('/x'), {headers: {authorization: 'Basic Y2FsbGVyOm93bg=='}});
		await api.get(four.a.url('/x'), {headers: {authorization: 'Bearer callers-own-token'}});
		// Its 401 is the caller's business: no refresh, a plain HTTPError.
		const error = await api.get(four.a.url('/denied'), {headers: {authorization: 'Bearer callers-own-token'}}).catch((caught: unknown) => caught);

		expect(four.b.seen.map(seen => credentialsIn(seen))).toEqual([{...noCredentials, apiKeyHeader: 'callers-own-key'}]);
		expect(four.c.seen.map(seen => credentialsIn(seen))).toEqual([{...noCredentials, authorization: 'Basic Y2FsbGVyOm93bg=='}]);
		expect(four.a.seen.map(seen => credentialsIn(seen))).toEqual([
			{...noCredentials, authorization: 'Bearer callers-own-token'},
			{...noCredentials, authorization: 'Bearer callers-own-token'},
		]);
		expect(error).toBeInstanceOf(HTTPError);
		expect(error).not.toBeInstanceOf(AuthenticationError);
		expect(refreshes).toHaveLength(0);
	});
});
