import {http, HttpResponse} from 'msw';
import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession} from '../../src/index.js';
import {deferred} from '../helpers/deferred.js';
import {useMsw} from '../helpers/msw.js';
import {api, AuthServer, outcome} from './auth-server.js';

const msw = useMsw();

const unauthorized = (): Response => HttpResponse.json({error: 'invalid_token'}, {status: 401, headers: {'www-authenticate': 'Bearer error="invalid_token"'}});

describe("a request's error code comes from what happened to that request", () => {
	it('a final 401 after the retry stays AUTHENTICATION_FAILED though the session signed out meanwhile', async () => {
		const server = new AuthServer(msw);
		const retried = deferred<void>();
		const answer = deferred<void>();
		const seen: Array<string | null> = [];
		msw.use(http.get(`${api}/api/refused`, async ({request}) => {
			seen.push(request.headers.get('authorization'));
			if (seen.length === 2) {
				retried.resolve();
				await answer.promise;
			}
			return unauthorized();
		}));
		const session = createAuthSession({refresh: server.refresh});
		const a = server.signIn('A');
		await session.signIn(a);
		const client = createAuthClient(session, {baseUrl: api});
		const request = outcome(client.get('api/refused').json());
		await retried.promise;

		await session.signOut();
		expect(session.getSnapshot().status).toBe('signedOut');
		answer.resolve();

		expect(await request).toBe('AUTHENTICATION_FAILED');
		expect(seen).toHaveLength(2);
		expect(seen[0]).toBe(`Bearer ${a.accessToken}`);
		expect(server.counters.grants).toBe(1);
	});

	it('a request whose refresh ended the session gets SESSION_ENDED though a later sign-in already happened', async () => {
		const server = new AuthServer(msw);
		const session = createAuthSession({refresh: server.refresh});
		// The refresh token is unknown to the server: the refresh answers invalid_grant (null), the session ends.
		await session.signIn({...server.signIn('A'), refreshToken: 'forged'});
		server.revokeAccess();
		const b = server.signIn('B');
		const client = createAuthClient(session, {
			baseUrl: api,
			hooks: {
				afterResponse: [
					// The application signs in again as soon as it sees the final 401, before the error is thrown.
					async ({response}) => {
						if (response.status === 401) {
							await session.signIn(b);
						}
					},
				],
			},
		});

		expect(await outcome(client.get('api/me').json())).toBe('SESSION_ENDED');
		expect(session.getSnapshot().status).toBe('signedIn');
		expect(await session.getAccessToken()).toBe(b.accessToken);
		expect(server.counters).toMatchObject({tokenCalls: 1, grants: 0, refused: 1});
	});
});
