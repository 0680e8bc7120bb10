import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession, memoryStore} from '../../src/index.js';
import {flush} from '../helpers/deferred.js';
import {useMsw} from '../helpers/msw.js';
import {api, AuthServer, outcome} from './auth-server.js';

const msw = useMsw();

describe('two sessions on one memoryStore, 50 parallel requests each on a revoked token', () => {
	it('spend the refresh token once: exactly 1 grant, 0 reuse, 100 successes', async () => {
		const server = new AuthServer(msw);
		const store = memoryStore();
		const first = createAuthSession({store, refresh: server.refresh});
		await first.signIn(server.signIn('A'));
		const second = createAuthSession({store, refresh: server.refresh});
		server.revokeAccess();
		const held = server.hold();
		const clients = [first, second].map(session => createAuthClient(session, {baseUrl: api, headers: {'x-as-user': 'A'}}));
		const requests = clients.flatMap(client => Array.from({length: 50}, async (_, index) => outcome(client.get(`api/${index}`).json())));
		await held.arrived(1);
		await flush();
		held.release();
		const outcomes = await Promise.all(requests);

		expect(outcomes.filter(result => result === 'ok A')).toHaveLength(100);
		expect(server.counters).toMatchObject({tokenCalls: 1, grants: 1, reuses: 0, refused: 0, apiOk: 100, api401: 100, crossUser: 0});
		expect(await first.getAccessToken()).toBe(await second.getAccessToken());
	});
});
