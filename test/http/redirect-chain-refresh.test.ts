import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {AuthenticationError, createAuthClient, createAuthFetch, createAuthSession} from '../../src/index.js';

/**
 * A 401 that comes back after redirects the platform followed (Bearer). A chain that leaves the origin and comes
 * back (A → B → A) reaches A's last hop without the token: a refresh cannot help there. A chain that stays on
 * the origin presented the token: one refresh, one retry. Real loopback origins; token-endpoint calls counted.
 */

interface Seen {
	method: string;
	path: string;
	authorization: string | undefined;
	body: string;
}

interface Origin {
	url: string;
	seen: Seen[];
	to(path: string): Seen[];
	reply(request: Seen, response: ServerResponse): void;
}

const servers: Server[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async server => new Promise(resolve => {
		server.closeAllConnections();
		server.close(resolve);
	})));
});

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) {
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

async function origin(): Promise<Origin> {
	const seen: Seen[] = [];
	const state: Origin = {
		url: '',
		seen,
		to: path => seen.filter(entry => entry.path === path),
		reply: (_request, response) => {
			response.writeHead(200);
			response.end();
		},
	};
	const server = createServer((request, response) => {
		void readBody(request).then(body => {
			const entry = {method: request.method ?? '', path: new URL(request.url ?? '/', 'http://x').pathname, authorization: request.headers.authorization, body};
			seen.push(entry);
			state.reply(entry, response);
		});
	});
	servers.push(server);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return state;
}

function redirect(response: ServerResponse, location: string, status = 302): void {
	response.writeHead(status, {location});
	response.end();
}

function unauthorized(response: ServerResponse): void {
	response.writeHead(401, {'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"'});
	response.end('{"error":"invalid_token"}');
}

function json(response: ServerResponse, body: unknown): void {
	response.writeHead(200, {'content-type': 'application/json'});
	response.end(JSON.stringify(body));
}

/** A signed-in session whose refresh calls A's token endpoint; `tokenCalls` counts those calls. */
async function signedIn(a: Origin): Promise<{session: ReturnType<typeof createAuthSession>; tokenCalls: () => number}> {
	const session = createAuthSession({refresh: async ({signal}) => {
		const response = await fetch(`${a.url}/token`, {method: 'POST', signal});
		return {accessToken: (await response.json() as {token: string}).token};
	}});
	await session.signIn({accessToken: 'first'});
	return {session, tokenCalls: () => a.to('/token').length};
}

/** A issues `fresh-n` at /token and accepts `valid` tokens; /start goes to `next`. */
function api(a: Origin, valid: (token: string | undefined) => boolean, next: string, status = 302): void {
	a.reply = (request, response) => {
		if (request.path === '/token') {
			json(response, {token: `fresh-${a.to('/token').length}`});
		} else if (request.path === '/start') {
			redirect(response, next, status);
		} else if (valid(request.authorization?.replace(/^Bearer /, ''))) {
			json(response, {path: request.path, method: request.method, body: request.body});
		} else {
			unauthorized(response);
		}
	};
}

describe('A → B → A: the last hop answers 401 without the token', () => {
	it('createAuthClient: no refresh, no credential to B, AuthenticationError', async () => {
		const a = await origin();
		const b = await origin();
		api(a, token => token !== undefined, `${b.url}/bounce`);
		b.reply = (_request, response) => {
			redirect(response, `${a.url}/back`);
		};
		const {session, tokenCalls} = await signedIn(a);
		const client = createAuthClient(session, {baseUrl: a.url, retry: 0});

		const error = await client.get('start').catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(AuthenticationError);
		expect(tokenCalls()).toBe(0);
		expect(b.seen.map(seen => seen.authorization)).toEqual([undefined]);
		// The original chain, then /start again with the same token: where it leads to B, nothing more is sent.
		expect(a.to('/start').map(seen => seen.authorization)).toEqual(['Bearer first', 'Bearer first']);
		expect(a.to('/back')).toHaveLength(1);
		expect(await session.getAccessToken()).toBe('first');
	});

	it('createAuthFetch, through a same-origin hop first (A → A → B → A): the final 401, no refresh', async () => {
		const a = await origin();
		const b = await origin();
		api(a, token => token !== undefined, `${a.url}/middle`);
		const valid = a.reply;
		a.reply = (request, response) => {
			if (request.path === '/middle') {
				redirect(response, `${b.url}/bounce`);
			} else {
				valid(request, response);
			}
		};
		b.reply = (_request, response) => {
			redirect(response, `${a.url}/back`);
		};
		const {session, tokenCalls} = await signedIn(a);

		const response = await createAuthFetch(session, {baseUrl: a.url})(`${a.url}/start`);

		expect(response.status).toBe(401);
		expect(tokenCalls()).toBe(0);
		expect(a.to('/middle').map(seen => seen.authorization)).toEqual(['Bearer first', 'Bearer first']);
		expect(b.seen).toHaveLength(1);
	});
});

describe('a chain that stays on the origin: the token reached the hop that refused it', () => {
	it('one refresh, one retry of that hop, nothing sent more often than before', async () => {
		const a = await origin();
		api(a, token => token === 'fresh-1', '/final');
		const {session, tokenCalls} = await signedIn(a);
		const client = createAuthClient(session, {baseUrl: a.url, retry: 0});

		expect(await client.get('start').json()).toEqual({path: '/final', method: 'GET', body: ''});
		expect(tokenCalls()).toBe(1);
		expect(a.to('/start').map(seen => seen.authorization)).toEqual(['Bearer first', 'Bearer first']);
		expect(a.to('/final').map(seen => seen.authorization)).toEqual(['Bearer first', 'Bearer fresh-1']);
	});

	it('a 307 POST: the retried hop carries the body', async () => {
		const a = await origin();
		api(a, token => token === 'fresh-1', '/final', 307);
		const {session, tokenCalls} = await signedIn(a);
		const client = createAuthClient(session, {baseUrl: a.url, retry: 0});

		expect(await client.post('start', {json: {n: 1}}).json()).toEqual({path: '/final', method: 'POST', body: '{"n":1}'});
		expect(tokenCalls()).toBe(1);
		expect(a.to('/final').map(seen => [seen.authorization, seen.body])).toEqual([['Bearer first', '{"n":1}'], ['Bearer fresh-1', '{"n":1}']]);
	});
});
