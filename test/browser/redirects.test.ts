/**
 * Redirects in a real browser (issue 11): Chromium hides a redirect's target from scripts (`redirect: 'manual'`
 * gives an opaque response), so ky-auth cannot decide a hop's credentials there. Bearer relies on the browser
 * dropping `Authorization` across origins; an API key, which the browser would forward, is never sent on blind.
 * The server answers on 127.0.0.1 and on localhost: two origins of one process.
 */
import {HTTPError} from 'ky';
import {beforeEach, describe, expect, it} from 'vitest';
import {apiKey, createAuthClient, createAuthFetch, createAuthSession, memoryStore} from '../../src/index.js';
import {apiOrigin, control, issue, refreshWithFetch, stats} from './api.js';

beforeEach(async () => {
	await control('reset');
});

const otherHost = new URL(apiOrigin).host.replace('127.0.0.1', 'localhost');

describe('redirects in Chromium', () => {
	it('Bearer: a redirect to another origin arrives without Authorization, and its 401 costs no refresh', async () => {
		const session = createAuthSession({store: memoryStore(), refresh: refreshWithFetch});
		await session.signIn({accessToken: await issue(), refreshToken: 'r0', expiresIn: 300});
		const failure = await createAuthClient(session, {prefix: apiOrigin, retry: 0}).get('redirect-away').catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(HTTPError);
		expect(failure).not.toHaveProperty('code');
		const {tokenCalls, seen} = await stats();
		expect(tokenCalls).toBe(0);
		const away = seen.filter(entry => entry.host === otherHost);
		expect(away).toHaveLength(1);
		expect(away[0]?.authorization).toBeUndefined();
	});

	it('an API key never follows a redirect it cannot see: the request fails, no other hop is made', async () => {
		const session = createAuthSession();
		const authFetch = createAuthFetch(session, {schemes: [{origins: [apiOrigin], scheme: apiKey({header: 'X-API-Key', key: 'browser-key-1'})}]});
		for (const path of ['redirect-away', 'redirect-here']) {
			await expect(authFetch(`${apiOrigin}/${path}`)).rejects.toThrow(/redirect that this platform hides|REDIRECT_HIDDEN/);
		}
		const {seen} = await stats();
		expect(seen.map(entry => [entry.path, entry.apiKey])).toEqual([['/redirect-away', 'browser-key-1'], ['/redirect-here', 'browser-key-1']]);
	});

	it('an API key without a redirect is sent, and only to its origin', async () => {
		const session = createAuthSession();
		const authFetch = createAuthFetch(session, {schemes: [{origins: [apiOrigin], scheme: apiKey({header: 'X-API-Key', key: 'browser-key-2'})}]});
		const response = await authFetch(`${apiOrigin}/echo`);
		expect(response.status).toBe(401);
		await authFetch(`http://${otherHost}/echo`);
		const {seen} = await stats();
		expect(seen.map(entry => [entry.host === otherHost ? 'other' : 'own', entry.apiKey])).toEqual([['own', 'browser-key-2'], ['other', undefined]]);
	});
});
