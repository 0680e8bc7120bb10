import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession, memoryStore, StoreError} from '../../src/index.js';
import {useMsw} from '../helpers/msw.js';
import {api, AuthServer, outcome} from './auth-server.js';
import {flakyStore} from './flaky-store.js';

const msw = useMsw();

describe('signIn(B) whose store write failed', () => {
	it("B's 401 is refreshed with B's refresh token, never retried with A's stale stored token", async () => {
		const server = new AuthServer(msw);
		const store = flakyStore(memoryStore());
		const session = createAuthSession({store, refresh: server.refresh});
		await session.signIn(server.signIn('A'));
		const b = server.signIn('B');
		store.failNextWrite();
		const signingIn = session.signIn(b);
		await expect(signingIn).rejects.toBeInstanceOf(StoreError);
		await expect(signingIn).rejects.toHaveProperty('code', 'STORE_WRITE_FAILED');
		expect(await session.getAccessToken()).toBe(b.accessToken);

		server.revokeAccess();
		const asB = createAuthClient(session, {baseUrl: api, headers: {'x-as-user': 'B'}});
		expect(await outcome(asB.get('api/me').json())).toBe('ok B');

		expect(server.presented).toEqual([b.refreshToken]);
		expect(server.counters).toMatchObject({tokenCalls: 1, grants: 1, reuses: 0, crossUser: 0});
		expect(server.sent.map(token => server.userOf(token))).toEqual(['B', 'B']);
	});
});
