import {afterEach, describe, expect, it} from 'vitest';
import {adapters, countingSession, schemeCases} from './cases.js';
import {closeOrigins, ok, redirect, startOrigin, type Origin} from './origins.js';

afterEach(closeOrigins);

const json = '{"order":{"id":7,"lines":["a","b"]},"note":"ünïcödé"}';

/** Origin A: /old redirects with `status` to /new on A itself; /new answers 200. */
async function movedWithin(status: number): Promise<Origin> {
	const a = await startOrigin();
	a.reply = (request, response) => {
		if (request.url.pathname === '/old') {
			redirect(response, status, '/new');
			return;
		}
		ok(request, response);
	};
	return a;
}

describe.each(schemeCases)('$name bound to origin A only', scheme => {
	describe.each(adapters)('$name', adapter => {
		// Bearer and Basic: the platform keeps Authorization on a same-origin hop. API keys: ky-auth follows the
		// redirect itself (redirect: 'manual') and attaches the key to the second hop again.
		it.each([301, 302, 303, 307, 308])('A /old answers %i to A /new (GET): the second hop keeps the credential', async status => {
			const a = await movedWithin(status);
			const {session, refreshes} = await countingSession();
			const send = adapter.make(session, {baseUrl: a.url('/'), scheme: scheme.scheme()});

			const response = await send(a.url('/old'));

			expect(response.status).toBe(200);
			expect(response.redirected).toBe(true);
			// No key in the URL the caller sees, for the query-parameter scheme too.
			expect(response.url).toBe(a.url('/new'));
			expect(a.seen.map(seen => [seen.url.pathname, scheme.credential(seen)])).toEqual([['/old', scheme.expected], ['/new', scheme.expected]]);
			expect(refreshes).toHaveLength(0);
		});

		it.each([307, 308])('%i to a POST with a JSON body: the body arrives intact on the second hop, method and content-type kept', async status => {
			const a = await movedWithin(status);
			const {session} = await countingSession();
			const send = adapter.make(session, {baseUrl: a.url('/'), scheme: scheme.scheme()});

			const response = await send(a.url('/old'), {method: 'POST', body: json, headers: {'content-type': 'application/json'}});

			expect(await response.json()).toEqual({method: 'POST', path: '/new'});
			const [first, second] = a.seen;
			expect(first?.body).toBe(json);
			expect(second?.method).toBe('POST');
			expect(second?.body).toBe(json);
			expect(second?.headers['content-type']).toBe('application/json');
			expect(second && scheme.credential(second)).toBe(scheme.expected);
		});

		it.each([303, 302, 301])('%i to a POST: the second hop is a GET without body and without content-type', async status => {
			const a = await movedWithin(status);
			const {session} = await countingSession();
			const send = adapter.make(session, {baseUrl: a.url('/'), scheme: scheme.scheme()});

			const response = await send(a.url('/old'), {method: 'POST', body: json, headers: {'content-type': 'application/json'}});

			expect(await response.json()).toEqual({method: 'GET', path: '/new'});
			const [first, second] = a.seen;
			expect(first?.method).toBe('POST');
			expect(first?.body).toBe(json);
			expect(second?.method).toBe('GET');
			expect(second?.body).toBe('');
			expect(second?.headers['content-type']).toBeUndefined();
			expect(second?.headers['content-length']).toBeUndefined();
			expect(second && scheme.credential(second)).toBe(scheme.expected);
		});
	});
});
