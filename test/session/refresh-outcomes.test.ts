import {http, HttpResponse} from 'msw';
import {describe, expect, it, vi} from 'vitest';
import {AuthenticationError, createAuthClient, createAuthFetch, createAuthSession, memoryStore, RefreshError, type TokenSet} from '../../src/index.js';
import {deferred, flush} from '../helpers/deferred.js';
import {useMsw} from '../helpers/msw.js';
import {lateAnswerGrace} from '../../src/session/refresh/spend.js';

const api = 'https://api.example.test';
const msw = useMsw();

/** The API accepts only `good`; everything else is 401. */
function acceptOnly(good: () => string) {
	msw.use(http.all(`${api}/*`, ({request}) => (request.headers.get('authorization') === `Bearer ${good()}`
		? HttpResponse.json({ok: true})
		: new HttpResponse(null, {status: 401}))));
}

async function revokedSession(refresh: (context: unknown) => Promise<unknown>, store = memoryStore()) {
	const session = createAuthSession({store, refresh: refresh as () => Promise<TokenSet | null>, refreshTimeout: 200});
	await session.signIn({accessToken: 'revoked', refreshToken: 'r1', expiresIn: 300});
	return session;
}

describe('refresh returns null: the session is over', () => {
	it('clears the store, fires signedout once, and every waiting request rejects with AuthenticationError', async () => {
		acceptOnly(() => 'never');
		const store = memoryStore();
		const session = await revokedSession(async () => null, store);
		let signedOut = 0;
		session.addEventListener('signedout', () => signedOut++);
		const client = createAuthClient(session, {baseUrl: api});
		const results = await Promise.allSettled(Array.from({length: 20}, async () => client.get('me')));
		for (const result of results) {
			expect(result.status).toBe('rejected');
			expect((result as PromiseRejectedResult).reason).toBeInstanceOf(AuthenticationError);
			expect((result as PromiseRejectedResult).reason).toMatchObject({code: 'SESSION_ENDED'});
		}
		expect(signedOut).toBe(1);
		expect(store.get()).toBeNull();
		expect(session.getSnapshot().status).toBe('signedOut');
		// Requests queued behind the refresh never reached the server: they end as SESSION_ENDED.
		const late = await client.get('me').catch((error: unknown) => error);
		expect(late).toBeInstanceOf(AuthenticationError);
	});

	it('requests that were waiting for the refresh (expired token) reject with SESSION_ENDED without being sent', async () => {
		let sent = 0;
		msw.use(http.get(`${api}/me`, () => {
			sent++;
			return HttpResponse.json({});
		}));
		let time = 0;
		const session = createAuthSession({now: () => time, refresh: async () => null});
		await session.signIn({accessToken: 'a', expiresIn: 1});
		time = 5000;
		const authFetch = createAuthFetch(session, {baseUrl: api});
		const errors = await Promise.all(Array.from({length: 5}, async () => authFetch(`${api}/me`).catch((error: unknown) => error)));
		for (const error of errors) {
			expect(error).toBeInstanceOf(AuthenticationError);
			expect((error as AuthenticationError).code).toBe('SESSION_ENDED');
			expect((error as AuthenticationError).response.type).toBe('error');
		}
		expect(sent).toBe(0);
	});
});

describe('refresh fails: every waiting request rejects with RefreshError, the tokens are kept', () => {
	it.each([
		['throws', async () => {
			throw new Error('endpoint down');
		}, 'REFRESH_FAILED'],
		['returns junk', async () => ({access_token: 'snake_case'}), 'REFRESH_INVALID_RESULT'],
		['returns a string', async () => 'token', 'REFRESH_INVALID_RESULT'],
		['hangs forever', async () => new Promise(() => undefined), 'REFRESH_TIMEOUT'],
	])('when the refresh %s', async (_name, refresh, code) => {
		acceptOnly(() => 'unreachable');
		const store = memoryStore();
		const session = await revokedSession(refresh, store);
		const refreshErrors: unknown[] = [];
		session.addEventListener('refresherror', event => refreshErrors.push((event as CustomEvent).detail));
		const client = createAuthClient(session, {baseUrl: api});
		const authFetch = createAuthFetch(session, {baseUrl: api});
		const results = await Promise.allSettled([
			...Array.from({length: 10}, async () => client.post('items', {json: {a: 1}})),
			...Array.from({length: 10}, async () => authFetch(`${api}/items`)),
		]);
		for (const result of results) {
			expect(result.status).toBe('rejected');
			const reason = (result as PromiseRejectedResult).reason as RefreshError;
			expect(reason).toBeInstanceOf(RefreshError);
			expect(reason.code).toBe(code);
		}
		expect(refreshErrors).toHaveLength(1);
		expect(store.get()).toMatchObject({tokens: {accessToken: 'revoked', refreshToken: 'r1'}});
		expect(session.getSnapshot().error).toBe(refreshErrors[0]);
	});

	it('the next request after a failure runs a new refresh', async () => {
		acceptOnly(() => 'second');
		let attempt = 0;
		const session = await revokedSession(async () => {
			attempt++;
			if (attempt === 1) {
				throw new Error('flaky');
			}
			return {accessToken: 'second'};
		});
		const client = createAuthClient(session, {baseUrl: api});
		await expect(client.get('me')).rejects.toBeInstanceOf(RefreshError);
		expect(await client.get('me').json()).toEqual({ok: true});
		expect(attempt).toBe(2);
		expect(session.getSnapshot().error).toBeNull();
	});
});

describe('waiting requests and abort signals', () => {
	it("a caller's abort while waiting rejects that request at once; the refresh goes on for the others", async () => {
		acceptOnly(() => 'new');
		const pending = deferred<TokenSet>();
		const refresh = vi.fn(async () => pending.promise);
		const session = await revokedSession(refresh);
		const client = createAuthClient(session, {baseUrl: api});
		const controller = new AbortController();
		const aborted = client.get('a', {signal: controller.signal}).catch((error: unknown) => error);
		const others = Promise.all([client.get('b').json(), client.get('c').json()]);
		await flush();
		expect(refresh).toHaveBeenCalledTimes(1);
		const reason = new Error('user navigated away');
		controller.abort(reason);
		expect(await aborted).toBe(reason);
		pending.resolve({accessToken: 'new'});
		expect(await others).toEqual([{ok: true}, {ok: true}]);
		expect(refresh).toHaveBeenCalledTimes(1);
	});

	it('new requests during a blocking refresh wait and go out with the new token, never the rejected one', async () => {
		const seen: string[] = [];
		msw.use(http.get(`${api}/*`, ({request}) => {
			const auth = request.headers.get('authorization') ?? '';
			seen.push(auth);
			return auth === 'Bearer new' ? HttpResponse.json({}) : new HttpResponse(null, {status: 401});
		}));
		const pending = deferred<TokenSet>();
		const session = await revokedSession(async () => pending.promise);
		const client = createAuthClient(session, {baseUrl: api});
		const first = client.get('first');
		await flush();
		expect(session.getSnapshot().status).toBe('refreshing');
		const later = Array.from({length: 10}, async () => client.get('later'));
		await flush();
		pending.resolve({accessToken: 'new'});
		await Promise.all([first, ...later]);
		expect(seen.filter(value => value === 'Bearer revoked')).toHaveLength(1);
		expect(seen.filter(value => value === 'Bearer new')).toHaveLength(11);
	});

	it('a 401 for a token that a refresh already replaced retries at once with the current token, without a new refresh', async () => {
		const slow = deferred<Response>();
		let slowSeen = false;
		msw.use(
			http.get(`${api}/slow`, async ({request}) => {
				if (request.headers.get('authorization') === 'Bearer revoked' && !slowSeen) {
					slowSeen = true;
					return slow.promise;
				}
				return HttpResponse.json({slow: true});
			}),
			http.get(`${api}/fast`, ({request}) => (request.headers.get('authorization') === 'Bearer new'
				? HttpResponse.json({}) : new HttpResponse(null, {status: 401}))),
		);
		const refresh = vi.fn(async () => ({accessToken: 'new'}));
		const session = await revokedSession(refresh);
		const client = createAuthClient(session, {baseUrl: api});
		const slowRequest = client.get('slow').json();
		await flush();
		await client.get('fast');
		expect(refresh).toHaveBeenCalledTimes(1);
		slow.resolve(new HttpResponse(null, {status: 401}));
		expect(await slowRequest).toEqual({slow: true});
		expect(refresh).toHaveBeenCalledTimes(1);
	});

	it('signOut during a refresh rejects the waiters with AuthenticationError and ignores the late result', async () => {
		acceptOnly(() => 'late');
		const pending = deferred<TokenSet>();
		const session = await revokedSession(async () => pending.promise);
		const client = createAuthClient(session, {baseUrl: api});
		const waiting = client.get('me').catch((error: unknown) => error);
		await flush();
		await session.signOut();
		pending.resolve({accessToken: 'late'});
		expect(await waiting).toBeInstanceOf(AuthenticationError);
		expect(await session.getAccessToken()).toBeNull();
	});

	it('the refresh receives an AbortSignal that aborts once a late answer can no longer be kept (refreshTimeout, then the grace)', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
		try {
			let received: AbortSignal | undefined;
			const session = createAuthSession({refreshTimeout: 50, refresh: async ({signal}) => {
				received = signal;
				return new Promise(() => undefined);
			}});
			await session.signIn({accessToken: 'a'});
			const refresh = session.refresh().catch((error: unknown) => error);
			await vi.advanceTimersByTimeAsync(51);
			expect(await refresh).toMatchObject({code: 'REFRESH_TIMEOUT'});
			// The waiters have failed; the token request may still answer, and its answer would be kept.
			expect(received?.aborted).toBe(false);
			await vi.advanceTimersByTimeAsync(lateAnswerGrace);
			expect(received?.aborted).toBe(true);
			expect(received?.reason).toBeInstanceOf(RefreshError);
		} finally {
			vi.useRealTimers();
		}
	});
});
