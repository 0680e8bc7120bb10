/**
 * Regression: a session ignores echoes of its own store writes, so a stale echo that lands after a
 * newer in-memory change (signIn then signOut in one tick) never flips it back to old tokens.
 */
import {describe, expect, it} from 'vitest';
import {createAuthSession, memoryStore} from '../../src/index.js';
import {flush} from '../helpers/deferred.js';

describe('a session does not adopt echoes of its own writes', () => {
	it('signIn then signOut in one tick: status goes signedIn -> signedOut once, signedout fires once', async () => {
		const session = createAuthSession({store: memoryStore()});
		const statuses: string[] = [];
		const tokensSeen: Array<string | null> = [];
		let signOutCalled = false;
		session.subscribe(() => {
			statuses.push(session.getSnapshot().status);
			// e.g. a React effect that fetches data whenever the session says it is signed in
			if (signOutCalled) {
				void session.getAccessToken().then(token => tokensSeen.push(token));
			}
		});
		let signedOut = 0;
		session.addEventListener('signedout', () => signedOut++);
		await flush();
		statuses.length = 0;
		void session.signIn({accessToken: 'A'});
		signOutCalled = true;
		await session.signOut();
		await flush();
		expect(tokensSeen).not.toContain('A');
		expect(statuses).toEqual(['signedIn', 'signedOut']);
		expect(signedOut).toBe(1);
	});

});
