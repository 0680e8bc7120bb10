import {describe, expect, it} from 'vitest';
import {useMsw} from '../helpers/msw.js';
import {AuthServer, storedAccessToken} from './auth-server.js';
import {twoHolders, waitingForHeldRefresh, releaseAndSettle} from './held-refresh.js';

const msw = useMsw();

describe('another holder signs out while this one refreshes', () => {
	it('the refresh result never signs anyone in again; the waiting requests end with SESSION_ENDED', async () => {
		const server = new AuthServer(msw);
		const {store, first, second} = await twoHolders(server);
		expect(await second.getAccessToken()).toBe(await first.getAccessToken());
		const {held, requests} = await waitingForHeldRefresh(server, first);

		await second.signOut();
		const {endedAtOnce, outcomes} = await releaseAndSettle(held, requests);

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
