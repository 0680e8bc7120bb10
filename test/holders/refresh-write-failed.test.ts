import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession, memoryStore, type StoreError} from '../../src/index.js';
import {useMsw} from '../helpers/msw.js';
import {api, AuthServer, outcome} from './auth-server.js';
import {flakyStore} from './flaky-store.js';

const msw = useMsw();

describe('after a refresh whose store write failed', () => {
	it('a later 401 refreshes with the newest refresh token held in memory, not the stale stored one', async () => {
		const server = new AuthServer(msw);
		const store = flakyStore(memoryStore());
		const session = createAuthSession({store, refresh: server.refresh});
		const a = server.signIn('A');
		await session.signIn(a);
		const storeErrors: StoreError[] = [];
		session.addEventListener('storeerror', event => {
			storeErrors.push(event.detail);
		});
		const client = createAuthClient(session, {baseUrl: api, headers: {'x-as-user': 'A'}});

		server.revokeAccess();
		store.failNextWrite();
		expect(await outcome(client.get('api/1').json())).toBe('ok A');
		expect(storeErrors.map(error => error.code)).toEqual(['STORE_WRITE_FAILED']);
		const afterFirst = await session.getAccessToken();
		expect(afterFirst).not.toBe(a.accessToken);

		// The store still holds A's first tokens (spent refresh token); the session must not adopt them.
		for (const path of ['2', '3']) {
			server.revokeAccess();
			expect(await outcome(client.get(`api/${path}`).json())).toBe('ok A');
		}

		expect(server.counters).toMatchObject({tokenCalls: 3, grants: 3, reuses: 0, refused: 0, crossUser: 0});
		expect(new Set(server.presented).size).toBe(3);
		expect(server.presented[0]).toBe(a.refreshToken);
		expect(session.getSnapshot().status).toBe('signedIn');
	});
});
