import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession, memoryStore} from '../../src/index.js';
import {flush} from '../helpers/deferred.js';
import {useMsw} from '../helpers/msw.js';
import {api, AuthServer, outcome, storedAccessToken, track} from './auth-server.js';

const msw = useMsw();

describe('another holder signs in as B while this one refreshes A', () => {
	it("A's refresh result never overwrites B, and A's waiting requests end with SESSION_ENDED", async () => {
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

		const b = server.signIn('B');
		await second.signIn(b);
		await flush();
		const endedAtOnce = requests.filter(request => request.settled).length;
		held.release();
		const outcomes = await Promise.all(requests.map(async request => request.promise));
		await flush();

		expect(outcomes).toEqual(['SESSION_ENDED', 'SESSION_ENDED', 'SESSION_ENDED']);
		expect(endedAtOnce).toBe(3);
		expect(await storedAccessToken(store)).toBe(b.accessToken);
		expect(await first.getAccessToken()).toBe(b.accessToken);
		expect(await second.getAccessToken()).toBe(b.accessToken);
		expect(first.getSnapshot().status).toBe('signedIn');
		// Only the three first attempts went out (with A's revoked token): nothing was replayed, nothing with B's token.
		expect(server.sent.map(token => server.userOf(token))).toEqual(['A', 'A', 'A']);
		expect(server.counters.crossUser).toBe(0);
		expect(server.counters.tokenCalls).toBe(1);
	});
});
