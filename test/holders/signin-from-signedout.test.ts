import {describe, expect, it} from 'vitest';
import {createAuthSession, memoryStore} from '../../src/index.js';
import {useMsw} from '../helpers/msw.js';
import {AuthServer, storedAccessToken} from './auth-server.js';

const msw = useMsw();

describe('signIn(guest) from a `signedout` listener', () => {
	it("is not wiped by the sign-out's store write: the store ends holding the guest", async () => {
		const server = new AuthServer(msw);
		const store = memoryStore();
		const session = createAuthSession({store, refresh: server.refresh});
		await session.signIn(server.signIn('A'));
		const guest = server.signIn('guest');
		const guestSignIns: Array<Promise<void>> = [];
		session.addEventListener('signedout', () => {
			guestSignIns.push(session.signIn(guest));
		}, {once: true});

		await session.signOut();
		await Promise.all(guestSignIns);

		expect(guestSignIns).toHaveLength(1);
		expect(await storedAccessToken(store)).toBe(guest.accessToken);
		expect(await session.getAccessToken()).toBe(guest.accessToken);
		expect(session.getSnapshot().status).toBe('signedIn');
		// Another holder of the store sees the guest too.
		const other = createAuthSession({store, refresh: server.refresh});
		expect(await other.getAccessToken()).toBe(guest.accessToken);
	});

	it('is not wiped when the sign-out came from a refresh that ended the session', async () => {
		const server = new AuthServer(msw);
		const store = memoryStore();
		const session = createAuthSession({store, refresh: server.refresh});
		// The server does not know this refresh token: the refresh answers invalid_grant (null), the session ends.
		await session.signIn({...server.signIn('A'), refreshToken: 'forged'});
		const guest = server.signIn('guest');
		const guestSignIns: Array<Promise<void>> = [];
		session.addEventListener('signedout', () => {
			guestSignIns.push(session.signIn(guest));
		}, {once: true});

		expect(await session.refresh()).toBeNull();
		await Promise.all(guestSignIns);

		expect(guestSignIns).toHaveLength(1);
		expect(server.counters).toMatchObject({tokenCalls: 1, refused: 1});
		expect(await storedAccessToken(store)).toBe(guest.accessToken);
		expect(await session.getAccessToken()).toBe(guest.accessToken);
		expect(session.getSnapshot().status).toBe('signedIn');
	});
});
