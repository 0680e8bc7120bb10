import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession, memoryStore} from '../../src/index.js';
import {flush} from '../helpers/deferred.js';
import {useMsw} from '../helpers/msw.js';
import {api, AuthServer, outcome, storedAccessToken, track} from './auth-server.js';

const msw = useMsw();

describe('another holder signs out while this one refreshes', () => {
	it('the refresh result never signs anyone in again; the waiting requests end with SESSION_ENDED', async () => {
		const server = new AuthServer(msw);
		const store = memoryStore();
		const first = createAuthSession({store, refresh: server.refresh});
		await first.signIn(server.signIn('A'));
		const second = createAuthSession({store, refresh: server.refresh});
		expect(await second.getAccessToken()).toBe(await first.getAccessToken());
		server.revokeAccess();
		const held = server.hold();
		const client = createAuthClient(first, {baseUrl: api, headers: {'x-as-user': 'A'}});
		const requests = ['a', 'b', 'c'].map(path => track(outcome(client.get(`api/${path}`).json())));
		await held.arrived(1);
		await flush();

		await second.signOut();
		await flush();
		const endedAtOnce = requests.filter(request => request.settled).length;
		held.release();
		const outcomes = await Promise.all(requests.map(async request => request.promise));
		await flush();

		expect(outcomes).toEqual(['SESSION_ENDED', 'SESSION_ENDED', 'SESSION_ENDED']);
		expect(endedAtOnce).toBe(3);
		expect(await storedAccessToken(store)).toBeUndefined();
		expect(await first.getAccessToken()).toBeNull();
		expect(first.getSnapshot().status).toBe('signedOut');
		expect(second.getSnapshot().status).toBe('signedOut');
		expect(server.sent.map(token => server.userOf(token))).toEqual(['A', 'A', 'A']);
		expect(server.counters.tokenCalls).toBe(1);
	});
});
