import {afterEach, describe, expect, it} from 'vitest';
import {AuthenticationError, createAuthClient} from '../../src/index.js';
import {adapters, countingSession, credentialsIn, noCredentials, schemeCases, secrets, type SendInit} from './cases.js';
import {answer, closeOrigins, ok, redirect, startOrigin} from './origins.js';

afterEach(closeOrigins);

/** Redirect statuses and the method sent; `then` is the method the Fetch standard uses for the next hop. */
const redirects = [
	{status: 302, method: 'GET', then: 'GET'},
	{status: 307, method: 'GET', then: 'GET'},
	{status: 308, method: 'GET', then: 'GET'},
	{status: 302, method: 'POST', then: 'GET'},
	{status: 301, method: 'POST', then: 'GET'},
	{status: 303, method: 'POST', then: 'GET'},
	{status: 307, method: 'POST', then: 'POST'},
] as const;

function init(method: string): SendInit {
	return method === 'POST' ? {method, body: '{"n":1}', headers: {'content-type': 'application/json'}} : {method};
}

describe.each(schemeCases)('$name bound to origin A only', scheme => {
	describe.each(adapters)('$name', adapter => {
		it.each(redirects)('A answers $status to a $method: origin B receives no credential of any kind', async ({status, method, then}) => {
			const a = await startOrigin();
			const b = await startOrigin({watched: true});
			a.reply = (_request, response) => {
				redirect(response, status, b.url('/landing?page=2'));
			};
			const {session, refreshes} = await countingSession();
			const send = adapter.make(session, {baseUrl: a.url('/'), scheme: scheme.scheme()});

			const response = await send(a.url('/start'), init(method));

			expect(response.status).toBe(200);
			expect(await response.json()).toEqual({method: then, path: '/landing'});
			// A did get the credential: the request was credentialed in the first place.
			expect(a.seen.map(seen => scheme.credential(seen))).toEqual([scheme.expected]);
			expect(b.seen).toHaveLength(1);
			const [atB] = b.seen;
			expect(atB?.url.href).toBe(b.url('/landing?page=2'));
			expect(credentialsIn(atB!)).toEqual(noCredentials);
			// Byte for byte, as it came over the wire: no secret in any spelling (the Basic one is base64).
			const heads = b.heads();
			expect(heads).toHaveLength(1);
			for (const secret of secrets) {
				expect(heads[0]).not.toContain(secret);
			}
			expect(heads[0]).toMatch(/^(GET|POST) \/landing\?page=2 HTTP\/1\.1\r\n/);
			expect(refreshes).toHaveLength(0);
		});

		it('A → B → A: B gets nothing; the last hop back on A gets the credential only where ky-auth decides per hop', async () => {
			const a = await startOrigin();
			const b = await startOrigin({watched: true});
			a.reply = (request, response) => {
				if (request.url.pathname === '/start') {
					redirect(response, 302, b.url('/bounce'));
					return;
				}
				response.writeHead(200, {'content-type': 'application/json'});
				response.end('{"back":true}');
			};
			b.reply = (_request, response) => {
				redirect(response, 302, a.url('/back'));
			};
			const {session, refreshes} = await countingSession();
			const send = adapter.make(session, {baseUrl: a.url('/'), scheme: scheme.scheme()});

			const response = await send(a.url('/start'));

			expect(response.status).toBe(200);
			expect(response.url).toBe(a.url('/back'));
			expect(response.redirected).toBe(true);
			expect(b.seen.map(seen => credentialsIn(seen))).toEqual([noCredentials]);
			for (const secret of secrets) {
				expect(b.heads()[0]).not.toContain(secret);
			}
			const [start, back] = a.seen;
			expect(start && scheme.credential(start)).toBe(scheme.expected);
			// perHop (API keys): ky-auth follows the redirects itself and credentials the last hop anew, as its
			// URL routes to the scheme again. Bearer and Basic rely on the platform, and Node's fetch (undici)
			// deletes Authorization from the request when it crosses origins, so it stays gone for the rest of
			// the chain: the hop back to A arrives without it (measured, Node 24).
			expect(back && scheme.credential(back)).toBe(scheme.perHop ? scheme.expected : undefined);
			expect(back && credentialsIn(back)).toEqual(scheme.perHop ? expect.anything() : noCredentials);
			expect(refreshes).toHaveLength(0);
		});
	});
});

// Measured, documented: where A's last hop demands the credential the platform dropped on the way through B.
describe.each(schemeCases)('$name: A → B → A, and A\'s last hop answers 401 without a credential', scheme => {
	it('createAuthClient: what it costs (measured)', async () => {
		const a = await startOrigin();
		const b = await startOrigin();
		a.reply = (request, response) => {
			if (request.url.pathname === '/start') {
				redirect(response, 302, b.url('/bounce'));
			} else if (scheme.credential(request) === undefined) {
				answer(response, 401, {}, {'www-authenticate': 'Bearer error="invalid_token"'});
			} else {
				ok(request, response);
			}
		};
		b.reply = (_request, response) => {
			redirect(response, 302, a.url('/back'));
		};
		const {session, refreshes} = await countingSession();
		const own = scheme.scheme();
		const client = createAuthClient(session, {baseUrl: a.url('/'), retry: 0, ...(own === undefined ? {} : {scheme: own})});

		const outcome = await client.get('start').then(response => response.status, (error: unknown) => error);

		expect(b.seen.length).toBeGreaterThan(0);
		expect(b.seen.map(seen => credentialsIn(seen))).toEqual(b.seen.map(() => noCredentials));
		if (scheme.perHop) {
			// Per hop: the hop back to A is credentialed again and succeeds.
			expect(outcome).toBe(200);
			expect(refreshes).toHaveLength(0);
			return;
		}
		// Platform-followed: /back never carries Authorization, yet the final response is from A (the origin the
		// request was sent to). Bearer walks the chain again with the same token up to where it leaves A and spends
		// no refresh (one could not help: the retry would lose the new token through B too); Basic has no refresh.
		// Both end in AuthenticationError.
		expect(outcome).toBeInstanceOf(AuthenticationError);
		expect(a.to('/back').map(seen => seen.headers.authorization)).toEqual(a.to('/back').map(() => undefined));
		expect(refreshes).toHaveLength(0);
		expect(a.to('/back')).toHaveLength(1);
	});
});
