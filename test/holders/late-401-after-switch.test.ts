import {http, HttpResponse} from 'msw';
import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession, memoryStore} from '../../src/index.js';
import {deferred, flush} from '../helpers/deferred.js';
import {useMsw} from '../helpers/msw.js';
import {api, AuthServer, outcome} from './auth-server.js';

const msw = useMsw();

const unauthorized = (): Response => HttpResponse.json({error: 'invalid_token'}, {status: 401, headers: {'www-authenticate': 'Bearer error="invalid_token"'}});

/** `GET /api/slow` answers 401 only when the test says so; records what each attempt carried. */
function slowEndpoint() {
	const arrived = deferred<void>();
	const answer = deferred<void>();
	const seen: Array<string | null> = [];
	msw.use(http.get(`${api}/api/slow`, async ({request}) => {
		seen.push(request.headers.get('authorization'));
		arrived.resolve();
		await answer.promise;
		return unauthorized();
	}));
	return {arrived: arrived.promise, answer: answer.resolve, seen};
}

describe('a request sent as A whose 401 arrives after a switch to B', () => {
	it("is not replayed with B's token: it ends with SESSION_ENDED (this session switched)", async () => {
		const server = new AuthServer(msw);
		const slow = slowEndpoint();
		const session = createAuthSession({refresh: server.refresh});
		const a = server.signIn('A');
		await session.signIn(a);
		const client = createAuthClient(session, {baseUrl: api});
		const request = outcome(client.get('api/slow').json());
		await slow.arrived;

		const b = server.signIn('B');
		await session.signIn(b);
		slow.answer();

		expect(await request).toBe('SESSION_ENDED');
		expect(slow.seen).toEqual([`Bearer ${a.accessToken}`]);
		expect(server.counters.tokenCalls).toBe(0);
		expect(await session.getAccessToken()).toBe(b.accessToken);
	});

	it("is not replayed with B's token: it ends with SESSION_ENDED (another holder of the store switched)", async () => {
		const server = new AuthServer(msw);
		const slow = slowEndpoint();
		const store = memoryStore();
		const session = createAuthSession({store, refresh: server.refresh});
		const a = server.signIn('A');
		await session.signIn(a);
		const other = createAuthSession({store, refresh: server.refresh});
		const client = createAuthClient(session, {baseUrl: api});
		const request = outcome(client.get('api/slow').json());
		await slow.arrived;

		const b = server.signIn('B');
		await other.signIn(b);
		await flush();
		expect(await session.getAccessToken()).toBe(b.accessToken);
		slow.answer();

		expect(await request).toBe('SESSION_ENDED');
		expect(slow.seen).toEqual([`Bearer ${a.accessToken}`]);
		expect(server.counters.tokenCalls).toBe(0);
	});
});
