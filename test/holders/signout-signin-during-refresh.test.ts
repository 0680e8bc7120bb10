import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession} from '../../src/index.js';
import {flush} from '../helpers/deferred.js';
import {useMsw} from '../helpers/msw.js';
import {api, AuthServer, outcome, track} from './auth-server.js';

const msw = useMsw();

describe('`await signOut(); await signIn(B)` while A\'s requests wait for A\'s refresh', () => {
	it("none of A's requests goes out with B's token: they end with SESSION_ENDED", async () => {
		const server = new AuthServer(msw);
		const session = createAuthSession({refresh: server.refresh});
		await session.signIn(server.signIn('A'));
		server.revokeAccess();
		const held = server.hold();
		const asA = createAuthClient(session, {baseUrl: api, headers: {'x-as-user': 'A'}});
		const requests = ['a', 'b', 'c'].map(path => track(outcome(asA.get(`api/${path}`).json())));
		await held.arrived(1);
		await flush();

		await session.signOut();
		const b = server.signIn('B');
		await session.signIn(b);
		await flush();
		const endedAtOnce = requests.filter(request => request.settled).length;
		held.release();
		const outcomes = await Promise.all(requests.map(async request => request.promise));
		await flush();

		expect(outcomes).toEqual(['SESSION_ENDED', 'SESSION_ENDED', 'SESSION_ENDED']);
		expect(endedAtOnce).toBe(3);
		expect(server.sent.map(token => server.userOf(token))).toEqual(['A', 'A', 'A']);
		expect(server.counters.crossUser).toBe(0);
		expect(await session.getAccessToken()).toBe(b.accessToken);
		// B's sign-in works on as usual.
		const asB = createAuthClient(session, {baseUrl: api, headers: {'x-as-user': 'B'}});
		expect(await outcome(asB.get('api/me').json())).toBe('ok B');
	});
});
