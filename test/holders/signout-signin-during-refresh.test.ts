import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession} from '../../src/index.js';
import {useMsw} from '../helpers/msw.js';
import {api, AuthServer, outcome} from './auth-server.js';
import {waitingForHeldRefresh, releaseAndSettle} from './held-refresh.js';

const msw = useMsw();

describe('`await signOut(); await signIn(B)` while A\'s requests wait for A\'s refresh', () => {
	it("none of A's requests goes out with B's token: they end with SESSION_ENDED", async () => {
		const server = new AuthServer(msw);
		const session = createAuthSession({refresh: server.refresh});
		await session.signIn(server.signIn('A'));
		const {held, requests} = await waitingForHeldRefresh(server, session);

		await session.signOut();
		const b = server.signIn('B');
		await session.signIn(b);
		const {endedAtOnce, outcomes} = await releaseAndSettle(held, requests);

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
