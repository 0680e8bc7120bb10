import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {http, HttpResponse} from 'msw';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {AuthenticationError, createAuthClient, createAuthSession} from '../../src/index.js';
import {useMsw} from '../helpers/msw.js';

/**
 * ky's own retries (a 503, a network error) around ky-auth's refresh: one ky call spends at most one refresh,
 * whichever attempt the 401 comes on. Each test counts token-endpoint calls.
 */

/** What the API does with a request to /data carrying `token` (the n-th request carrying it, from 1). */
type Script = (token: string | undefined, nth: number) => number;

interface Api {
	origin: string;
	/** Calls to the token endpoint. */
	tokenCalls: number;
	/** The tokens /data saw, in order. */
	seen: Array<string | undefined>;
	script: Script;
}

let server: Server;
let api: Api;

function answer(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	response.writeHead(status, {'content-type': 'application/json', ...headers});
	response.end(JSON.stringify(body));
}

function handle(request: IncomingMessage, response: ServerResponse): void {
	request.resume();
	request.on('end', () => {
		if (request.url === '/token') {
			api.tokenCalls++;
			answer(response, 200, {access_token: `at-${api.tokenCalls}`});
			return;
		}
		const token = request.headers.authorization?.replace(/^Bearer /, '');
		api.seen.push(token);
		const status = api.script(token, api.seen.filter(seen => seen === token).length);
		if (status === 401) {
			answer(response, 401, {error: 'invalid_token'}, {'www-authenticate': 'Bearer error="invalid_token"'});
		} else {
			answer(response, status, {status, token});
		}
	});
}

beforeAll(async () => {
	server = createServer(handle);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => new Promise<void>(resolve => {
	server.closeAllConnections();
	server.close(() => resolve());
}));

/** A signed-in session whose refresh calls the real token endpoint. */
async function signedIn(origin: string) {
	const session = createAuthSession({refresh: async ({signal}) => {
		const response = await fetch(`${origin}/token`, {method: 'POST', signal});
		const body = await response.json() as {access_token: string};
		return {accessToken: body.access_token};
	}});
	await session.signIn({accessToken: 'at-0'});
	return session;
}

function start(script: Script): Api {
	api = {origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tokenCalls: 0, seen: [], script};
	return api;
}

/** ky's retry without its delay (a test never sleeps); GET and 503 are in ky's defaults. */
const retry = {limit: 2, delay: () => 0};

describe('a 503 retried by ky, then answered 401', () => {
	it('the 401 after the refresh and the 503 is final: one refresh per call, not one per ky attempt', async () => {
		// at-0 is refused; the refreshed at-1 meets a 503 first, and the 401 when ky retries the 503.
		const {origin} = start((token, nth) => (token === 'at-1' && nth === 1 ? 503 : 401));
		const session = await signedIn(origin);
		const client = createAuthClient(session, {baseUrl: origin, retry});

		const error = await client.get('data').catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(AuthenticationError);
		expect(api.tokenCalls).toBe(1);
		expect(api.seen).toEqual(['at-0', 'at-1', 'at-1']);
	});

	it('a 503 before the first 401 leaves that 401 its refresh and its retry (retryCount is not the mark)', async () => {
		const {origin} = start((token, nth) => {
			if (token === 'at-0') {
				return nth === 1 ? 503 : 401;
			}
			return 200;
		});
		const session = await signedIn(origin);
		const client = createAuthClient(session, {baseUrl: origin, retry});

		expect(await client.get('data').json()).toEqual({status: 200, token: 'at-1'});
		expect(api.tokenCalls).toBe(1);
		expect(api.seen).toEqual(['at-0', 'at-0', 'at-1']);
	});

	it('the budget is per call: the next call refreshes once again', async () => {
		// The signed-in tokens are refused, the refreshed ones served.
		const {origin} = start(token => (token === 'at-0' || token === 'other' ? 401 : 200));
		const session = await signedIn(origin);
		const client = createAuthClient(session, {baseUrl: origin, retry});

		expect(await client.get('data').json()).toEqual({status: 200, token: 'at-1'});
		await session.signIn({accessToken: 'other'});
		expect(await client.get('data').json()).toEqual({status: 200, token: 'at-2'});
		expect(api.tokenCalls).toBe(2);
	});
});

describe('a network error retried by ky, then answered 401', () => {
	const msw = useMsw();
	const base = 'https://api.example.test';

	it('the refreshed retry fails on the network, ky retries it, the 401 then is final', async () => {
		let tokenCalls = 0;
		const seen: Array<string | null> = [];
		msw.use(http.get(`${base}/data`, ({request}) => {
			const authorization = request.headers.get('authorization');
			seen.push(authorization);
			return authorization === 'Bearer fresh-1' && seen.length === 2
				? HttpResponse.error()
				: HttpResponse.json({error: 'invalid_token'}, {status: 401});
		}));
		const session = createAuthSession({refresh: async () => ({accessToken: `fresh-${++tokenCalls}`})});
		await session.signIn({accessToken: 'stale'});
		const client = createAuthClient(session, {baseUrl: base, retry});

		const error = await client.get('data').catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(AuthenticationError);
		expect(tokenCalls).toBe(1);
		expect(seen).toEqual(['Bearer stale', 'Bearer fresh-1', 'Bearer fresh-1']);
	});
});
