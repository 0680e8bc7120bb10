import {inspect} from 'node:util';
import {HTTPError, NetworkError} from 'ky';
import {afterEach, describe, expect, it} from 'vitest';
import {apiKey, AuthenticationError, createAuthClient, createAuthFetch, PermissionError, type CredentialScheme} from '../../src/index.js';
import {countingSession} from './cases.js';
import {answer, closeOrigins, ok, redirect, refusedOrigin, startOrigin, type Origin} from './origins.js';

afterEach(closeOrigins);

const key = 'SECRET-KEY-123456';

/** Fixed and rotating keys take different paths (made once, or read per request). */
const keys: ReadonlyArray<{name: string; scheme: () => CredentialScheme}> = [
	{name: 'a fixed key', scheme: () => apiKey({query: 'api_key', key})},
	{name: 'a key function', scheme: () => apiKey({query: 'api_key', key: async () => key})},
];

/** Origin A: /401, /403, /500 answer that status; /moved redirects to /500; anything else 200. */
async function api(): Promise<Origin> {
	const a = await startOrigin();
	a.reply = (request, response) => {
		const {pathname} = request.url;
		if (pathname === '/401') {
			answer(response, 401, {error: 'invalid_key'}, {'www-authenticate': 'ApiKey realm="api"'});
		} else if (pathname === '/403') {
			answer(response, 403, {error: 'forbidden'});
		} else if (pathname === '/500') {
			answer(response, 500, {error: 'boom'});
		} else if (pathname === '/moved') {
			redirect(response, 302, '/500');
		} else {
			ok(request, response);
		}
	};
	return a;
}

/** Every way an error gets shown or logged. */
function renderings(error: unknown): Record<string, string> {
	const {request, response} = error as {request?: Request; response?: Response};
	return {
		message: (error as Error).message,
		string: String(error),
		inspect: inspect(error, {depth: 10}),
		json: JSON.stringify(error) ?? '',
		stack: (error as Error).stack ?? '',
		requestUrl: request?.url ?? '',
		responseUrl: response?.url ?? '',
	};
}

function expectNoKey(shown: Record<string, string>): void {
	for (const [where, text] of Object.entries(shown)) {
		expect(text, where).not.toContain(key);
	}
}

describe.each(keys)('apiKey({query: "api_key"}) with $name', ({scheme}) => {
	it('the server receives the key in the URL; response.url (createAuthFetch and the client) does not show it', async () => {
		const a = await api();
		const {session} = await countingSession();
		const authFetch = createAuthFetch(session, {baseUrl: a.url('/'), scheme: scheme()});
		const client = createAuthClient(session, {baseUrl: a.url('/'), scheme: scheme(), retry: 0});

		const fetched = await authFetch(a.url('/items?page=2'));
		const viaClient = await client.get('items?page=2');

		expect(a.seen.map(seen => seen.url.searchParams.get('api_key'))).toEqual([key, key]);
		expect(a.seen.map(seen => seen.url.searchParams.get('page'))).toEqual(['2', '2']);
		expect(fetched.url).toBe(a.url('/items?page=2'));
		expect(viaClient.url).toBe(a.url('/items?page=2'));
	});

	it.each([
		{path: '401', type: AuthenticationError},
		{path: '403', type: PermissionError},
		{path: '500', type: HTTPError},
		{path: 'moved', type: HTTPError},
	])('the error of /$path: message, String, util.inspect, JSON.stringify, stack, request.url, response.url: no key', async ({path, type}) => {
		const a = await api();
		const {session, refreshes} = await countingSession();
		const client = createAuthClient(session, {baseUrl: a.url('/'), scheme: scheme(), retry: 0});

		const error = await client.get(`${path}?page=2`).catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(type);
		expect(a.seen.every(seen => seen.url.searchParams.get('api_key') === key)).toBe(true);
		const shown = renderings(error);
		expectNoKey(shown);
		// The URL is still there, without the key: the message stays useful.
		expect(shown.message).toContain(a.url(`/${path}?page=2`));
		expect(refreshes).toHaveLength(0);
	});

	it('a network error (connection refused): the client\'s NetworkError shows no key', async () => {
		const origin = await refusedOrigin();
		const {session} = await countingSession();
		const client = createAuthClient(session, {baseUrl: `${origin}/`, scheme: scheme(), retry: 0});

		const error = await client.get('items?page=2').catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(NetworkError);
		expectNoKey(renderings(error));
		expectNoKey(renderings((error as Error).cause));
	});

	it('a network error (connection refused): createAuthFetch\'s rejection shows no key', async () => {
		const origin = await refusedOrigin();
		const {session} = await countingSession();
		const authFetch = createAuthFetch(session, {baseUrl: origin, scheme: scheme()});

		const error = await authFetch(`${origin}/items?page=2`).catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(TypeError);
		expectNoKey(renderings(error));
		expectNoKey(renderings((error as Error).cause));
	});

	it('a network error from a fetch that names the URL it failed on (as node-fetch does): no key, client and createAuthFetch', async () => {
		const origin = await refusedOrigin();
		const {session} = await countingSession();
		const seenUrls: string[] = [];
		// The real fetch underneath, failing for real; the message names the URL, as node-fetch's FetchError does.
		const namingFetch: typeof fetch = async (input, init) => {
			const url = input instanceof Request ? input.url : String(input);
			seenUrls.push(url);
			try {
				return await fetch(input, init);
			} catch (error) {
				throw new TypeError(`request to ${url} failed, reason: connect ECONNREFUSED`, {cause: error});
			}
		};
		const client = createAuthClient(session, {baseUrl: `${origin}/`, scheme: scheme(), retry: 0, fetch: namingFetch});
		const authFetch = createAuthFetch(session, {baseUrl: origin, scheme: scheme(), fetch: namingFetch});

		const fromClient = await client.get('items?page=2').catch((caught: unknown) => caught);
		const fromFetch = await authFetch(`${origin}/items?page=2`).catch((caught: unknown) => caught);

		// The key did go out on the wire (into the URL the underlying fetch was given).
		expect(seenUrls).toEqual([`${origin}/items?page=2&api_key=${key}`, `${origin}/items?page=2&api_key=${key}`]);
		for (const error of [fromClient, fromFetch]) {
			expect(error).toBeInstanceOf(Error);
			const shown = renderings(error);
			expectNoKey(shown);
			expect(shown.message).toContain(`${origin}/items?page=2`);
		}
	});
});

/**
 * Servers often redirect with the query string kept (a trailing-slash redirect: /items?x → /items/?x), so the
 * Location of the next hop already holds the key that ky-auth added to the first hop.
 */
describe('apiKey({query: "api_key"}) when a redirect\'s Location echoes the query string', () => {
	// Regression (found by this suite, fixed): sendWith (src/http/hop.ts) sets response.url to the hop's URL, which came from the Location
	// with the key in it: the key ky-auth promised to redact is shown in response.url.
	it('same origin (301 /items?… → /items/?…): response.url and an HTTPError\'s response.url show no key', async () => {
		const a = await startOrigin();
		a.reply = (request, response) => {
			if (request.url.pathname === '/items') {
				redirect(response, 301, `/items/${request.url.search}`);
				return;
			}
			answer(response, 500, {error: 'boom'});
		};
		const {session} = await countingSession();
		const authFetch = createAuthFetch(session, {baseUrl: a.url('/'), scheme: apiKey({query: 'api_key', key})});
		const client = createAuthClient(session, {baseUrl: a.url('/'), scheme: apiKey({query: 'api_key', key}), retry: 0});

		const response = await authFetch(a.url('/items?page=2'));
		const error = await client.get('items?page=2').catch((caught: unknown) => caught);

		expect(a.to('/items/').map(seen => seen.url.searchParams.get('api_key'))).toEqual([key, key]);
		expect(response.url).not.toContain(key);
		expect(error).toBeInstanceOf(HTTPError);
		expectNoKey(renderings(error));
	});

	// Regression (found by this suite, fixed): the hop to B is not routed to the scheme, so the transport sends it as the Location says
	// (src/http/transport.ts, the `send(next, manual)` branch of attempt()), key included.
	it('cross origin (A 302 → B with the query kept): B does not receive the key, and response.url does not show it', async () => {
		const a = await startOrigin();
		const b = await startOrigin();
		a.reply = (request, response) => {
			redirect(response, 302, b.url(`/elsewhere${request.url.search}`));
		};
		const {session} = await countingSession();
		const authFetch = createAuthFetch(session, {baseUrl: a.url('/'), scheme: apiKey({query: 'api_key', key})});

		const response = await authFetch(a.url('/start?page=2'));

		expect(a.seen.map(seen => seen.url.searchParams.get('api_key'))).toEqual([key]);
		expect(b.seen.map(seen => seen.url.searchParams.get('page'))).toEqual(['2']);
		expect(b.seen.map(seen => seen.url.searchParams.get('api_key'))).toEqual([null]);
		expect(response.url).not.toContain(key);
	});
});
