import {http, HttpResponse} from 'msw';
import {describe, expect, it, vi} from 'vitest';
import {createAuthClient, createAuthSession, type RefreshFunction, type TokenSet} from '../../src/index.js';
import {deferred, flush} from '../helpers/deferred.js';
import {useMsw} from '../helpers/msw.js';

const api = 'https://api.example.test';
const msw = useMsw();

describe('one refresh at a time, proactive and reactive alike', () => {
	it('a 401 that arrives while a background refresh runs joins it instead of starting another', async () => {
		let time = 0;
		const pending = deferred<TokenSet>();
		const refresh = vi.fn<RefreshFunction>(async () => pending.promise);
		const session = createAuthSession({now: () => time, refresh, refreshWindow: 60_000});
		await session.signIn({accessToken: 'old', expiresIn: 600});
		msw.use(http.get(`${api}/*`, ({request}) => (request.headers.get('authorization') === 'Bearer new'
			? HttpResponse.json({ok: true})
			: new HttpResponse(null, {status: 401}))));
		time = 570_000;
		const client = createAuthClient(session, {baseUrl: api});
		const first = client.get('a').json();
		await flush();
		expect(refresh).toHaveBeenCalledTimes(1);
		expect(refresh.mock.calls[0]?.[0].reason).toBe('expiring');
		const second = client.get('b').json();
		await flush();
		pending.resolve({accessToken: 'new', expiresIn: 600});
		expect(await Promise.all([first, second])).toEqual([{ok: true}, {ok: true}]);
		expect(refresh).toHaveBeenCalledTimes(1);
	});

	it("ky's own retry (503) goes out with the token current at retry time", async () => {
		const gate = deferred<void>();
		const seen: string[] = [];
		let flakyCalls = 0;
		msw.use(
			http.get(`${api}/flaky`, ({request}) => {
				seen.push(`flaky ${request.headers.get('authorization')}`);
				flakyCalls++;
				return flakyCalls === 1 ? new HttpResponse(null, {status: 503}) : HttpResponse.json({});
			}),
			http.get(`${api}/other`, ({request}) => (request.headers.get('authorization') === 'Bearer new'
				? HttpResponse.json({}) : new HttpResponse(null, {status: 401}))),
		);
		const session = createAuthSession({refresh: async () => ({accessToken: 'new'})});
		await session.signIn({accessToken: 'old'});
		const client = createAuthClient(session, {baseUrl: api, retry: {limit: 1, delay: () => 0}, hooks: {beforeRetry: [async () => gate.promise]}});
		const flaky = client.get('flaky');
		await flush();
		await client.get('other');
		gate.resolve();
		await flaky;
		expect(seen).toEqual(['flaky Bearer old', 'flaky Bearer new']);
	});

	it('a network error retried by ky carries the token too', async () => {
		let calls = 0;
		const seen: Array<string | null> = [];
		msw.use(http.get(`${api}/net`, ({request}) => {
			calls++;
			seen.push(request.headers.get('authorization'));
			return calls === 1 ? HttpResponse.error() : HttpResponse.json({});
		}));
		const session = createAuthSession();
		await session.signIn({accessToken: 't'});
		await createAuthClient(session, {baseUrl: api, retry: {limit: 1, delay: () => 0}}).get('net');
		expect(seen).toEqual(['Bearer t', 'Bearer t']);
	});
});
