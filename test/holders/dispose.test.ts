import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession, memoryStore, type TokenStore} from '../../src/index.js';
import {flush} from '../helpers/deferred.js';
import {useMsw} from '../helpers/msw.js';
import {api, AuthServer, outcome, storedAccessToken, track} from './auth-server.js';

const msw = useMsw();

/** Wraps a store, counting the subscriptions that are still active. */
function countingSubscriptions(inner: TokenStore): TokenStore & {readonly active: number} {
	let active = 0;
	const subscribe = inner.subscribe!.bind(inner);
	return {
		...inner,
		get active() {
			return active;
		},
		subscribe(listener) {
			const stop = subscribe(listener);
			active++;
			let stopped = false;
			return () => {
				if (!stopped) {
					stopped = true;
					active--;
				}
				stop();
			};
		},
	};
}

describe('session.dispose()', () => {
	it('ends its waiters at once, lets the refresh in flight commit for the others, ends the store subscription, and leaves the other holders working', async () => {
		const server = new AuthServer(msw);
		const store = countingSubscriptions(memoryStore());
		const disposed = createAuthSession({store, refresh: server.refresh});
		const a = server.signIn('A');
		await disposed.signIn(a);
		const other = createAuthSession({store, refresh: server.refresh});
		expect(await other.getAccessToken()).toBe(a.accessToken);
		expect(store.active).toBe(2);
		const events: string[] = [];
		for (const type of ['signedin', 'signedout', 'refresh'] as const) {
			disposed.addEventListener(type, () => events.push(type));
		}

		server.revokeAccess();
		const held = server.hold();
		const client = createAuthClient(disposed, {baseUrl: api, headers: {'x-as-user': 'A'}});
		const requests = ['a', 'b', 'c'].map(path => track(outcome(client.get(`api/${path}`).json())));
		await held.arrived(1);
		await flush();

		disposed.dispose();
		await flush();
		const endedAtOnce = requests.filter(request => request.settled).length;
		expect(store.active).toBe(1);
		held.release();
		expect(await Promise.all(requests.map(async request => request.promise))).toEqual(['SESSION_ENDED', 'SESSION_ENDED', 'SESSION_ENDED']);
		expect(endedAtOnce).toBe(3);
		await flush();
		// The refresh in flight was not abandoned (its refresh token had reached the server): it committed for the other holders.
		expect(await storedAccessToken(store)).not.toBe(a.accessToken);
		expect(await other.getAccessToken()).toBe(await storedAccessToken(store));
		// A later request of the disposed session is not sent.
		expect(await outcome(client.get('api/after').json())).toBe('SESSION_ENDED');

		// A later store change does not reach the disposed session; the other holder follows it and works.
		const snapshot = disposed.getSnapshot();
		const b = server.signIn('B');
		await other.signIn(b);
		await flush();
		expect(disposed.getSnapshot()).toBe(snapshot);
		expect(events).toEqual([]);
		server.revokeAccess();
		const asB = createAuthClient(other, {baseUrl: api, headers: {'x-as-user': 'B'}});
		expect(await outcome(asB.get('api/me').json())).toBe('ok B');
		expect(server.presented.at(-1)).toBe(b.refreshToken);
		expect(server.counters).toMatchObject({reuses: 0, crossUser: 0});
		expect(server.sent.map(token => server.userOf(token))).toEqual(['A', 'A', 'A', 'B', 'B']);
	});

	it('mid-refresh, after its refresh token reached the server: the other holder does not spend that token again', async () => {
		const server = new AuthServer(msw);
		const store = memoryStore();
		const disposed = createAuthSession({store, refresh: server.refresh});
		const a = server.signIn('A');
		await disposed.signIn(a);
		const other = createAuthSession({store, refresh: server.refresh});
		expect(await other.getAccessToken()).toBe(a.accessToken);

		server.revokeAccess();
		const held = server.hold();
		const waiting = track(outcome(createAuthClient(disposed, {baseUrl: api, headers: {'x-as-user': 'A'}}).get('api/a').json()));
		await held.arrived(1);
		await flush();
		disposed.dispose();
		await flush();
		expect(waiting.settled).toBe(true);
		expect(await waiting.promise).toBe('SESSION_ENDED');

		// The other holder needs a refresh too while the disposed holder's grant is still being answered.
		const asA = createAuthClient(other, {baseUrl: api, headers: {'x-as-user': 'A'}});
		const request = outcome(asA.get('api/b').json());
		await flush();
		held.release();

		expect(await request).toBe('ok A');
		expect(server.counters).toMatchObject({grants: 1, reuses: 0, crossUser: 0});
		expect(other.getSnapshot().status).toBe('signedIn');
	});
});
