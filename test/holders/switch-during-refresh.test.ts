import {describe, expect, it} from 'vitest';
import {useMsw} from '../helpers/msw.js';
import {AuthServer, storedAccessToken} from './auth-server.js';
import {twoHolders, waitingForHeldRefresh, releaseAndSettle} from './held-refresh.js';

const msw = useMsw();

describe('another holder signs in as B while this one refreshes A', () => {
	it("A's refresh result never overwrites B, and A's waiting requests end with SESSION_ENDED", async () => {
		const server = new AuthServer(msw);
		const {store, first, second} = await twoHolders(server);
		expect(await second.getAccessToken()).toBe(await first.getAccessToken());
		const {held, requests} = await waitingForHeldRefresh(server, first);

		const b = server.signIn('B');
		await second.signIn(b);
		const {endedAtOnce, outcomes} = await releaseAndSettle(held, requests);

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
