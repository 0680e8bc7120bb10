/**
 * Pins for edge behaviours that hold and had no test of their own.
 */
import {TimeoutError} from 'ky';
import {http, HttpResponse} from 'msw';
import {describe, expect, it, vi} from 'vitest';
import {createAuthClient, createAuthFetch, createAuthSession, type TokenSet} from '../../src/index.js';
import {deferred, flush} from '../helpers/deferred.js';
import {useMsw} from '../helpers/msw.js';

const api = 'https://api.example.test';
const msw = useMsw();

describe('edge behaviour pins', () => {
	it('PIN: userinfo and backslash lookalikes of the allowed origin get no token', async () => {
		const seen: Array<string | null> = [];
		msw.use(http.get('https://evil.test/*', ({request}) => {
			seen.push(request.headers.get('authorization'));
			return HttpResponse.json({});
		}));
		const session = createAuthSession();
		await session.signIn({accessToken: 't'});
		const authFetch = createAuthFetch(session, {baseUrl: api});
		// (URLs with userinfo cannot even be made into a Request.)
		await expect(authFetch('https://api.example.test@evil.test/x')).rejects.toThrow(TypeError);
		await authFetch('https://evil.test\\@api.example.test/x');
		await authFetch('https://evil.test/https://api.example.test/x');
		expect(seen).toEqual([null, null]);
	});

	it('signIn during a blocking refresh: the waiters of the old sign-in end with SESSION_ENDED (never sent with the new token), the late result is ignored', async () => {
		const pending = deferred<TokenSet>();
		const seen: Array<string | null> = [];
		msw.use(http.get(`${api}/x`, ({request}) => {
			seen.push(request.headers.get('authorization'));
			return request.headers.get('authorization') === 'Bearer user2' ? HttpResponse.json({}) : new HttpResponse(null, {status: 401});
		}));
		const session = createAuthSession({refresh: async () => pending.promise});
		await session.signIn({accessToken: 'revoked'});
		const client = createAuthClient(session, {baseUrl: api, retry: 0});
		const requests = Promise.allSettled([client.get('x'), client.get('x')]);
		await flush();
		await session.signIn({accessToken: 'user2'});
		pending.resolve({accessToken: 'late'});
		const outcomes = await requests;
		await flush();
		expect(outcomes.map(outcome => outcome.status === 'rejected' && (outcome.reason as {code?: string}).code)).toEqual(['SESSION_ENDED', 'SESSION_ENDED']);
		expect(await session.getAccessToken()).toBe('user2');
		expect(seen).toEqual(['Bearer revoked', 'Bearer revoked']);
		expect(await client.get('x').json()).toEqual({});
	});

	it("PIN: ky's timeout while a request waits for the refresh rejects it with TimeoutError; the refresh goes on for others", async () => {
		const pending = deferred<TokenSet>();
		const refresh = vi.fn(async () => pending.promise);
		msw.use(http.get(`${api}/x`, ({request}) => (request.headers.get('authorization') === 'Bearer new'
			? HttpResponse.json({ok: true}) : new HttpResponse(null, {status: 401}))));
		const session = createAuthSession({refresh});
		await session.signIn({accessToken: 'old'});
		const client = createAuthClient(session, {baseUrl: api, retry: 0});
		const patient = client.get('x').json();
		const hasty = client.get('x', {timeout: 30}).catch((error: unknown) => error);
		expect(await hasty).toBeInstanceOf(TimeoutError);
		pending.resolve({accessToken: 'new'});
		expect(await patient).toEqual({ok: true});
		expect(refresh).toHaveBeenCalledTimes(1);
	});
});
