/**
 * Next to sign-out-then-refresh.test.ts: a refresh whose compare-and-set lost (another holder signed in as bob
 * meanwhile) reads the store again to adopt what won. A sign-out in the refreshing holder while that read is
 * out is newer than whatever the read answers: the answer (bob, stored before the sign-out) must not be adopted
 * as "tokens arriving while none are held", which would undo the sign-out.
 */
import {describe, expect, it} from 'vitest';
import {scriptedWorld} from './scripted-store.js';

describe("a sign-out while a lost refresh commit reads the store again", () => {
	it('is not undone by what that read answers', async () => {
		const world = scriptedWorld();
		const a = world.sessionFor('a');
		const b = world.sessionFor('b');
		await a.signIn({accessToken: 'at.0', refreshToken: 'rt.0', expiresIn: 3600});
		await world.settle();
		expect(b.getSnapshot().status).toBe('signedIn');
		world.hold();

		// A refreshes: its read inside the lock answers alice, and it spends rt.0.
		const refresh = a.refresh();
		expect(await world.release('get')).toBe(true);
		await world.settle();
		expect(world.held('refresh')).toBe(1);
		// B signs in as bob; the write lands (A's change notification reads the store, held back).
		const bobSignsIn = b.signIn({accessToken: 'at.bob', refreshToken: 'rt.bob', expiresIn: 3600});
		expect(await world.release('set')).toBe(true);
		// A's refresh answers; its compare-and-set loses to bob, and A reads the store again (held back).
		expect(await world.release('refresh')).toBe(true);
		expect(await world.release('compareAndSet')).toBe(true);
		await world.settle();
		const readsBeforeSignOut = world.held('get');

		const statuses: string[] = [];
		a.subscribe(() => {
			statuses.push(a.getSnapshot().status);
		});
				const signOut = a.signOut();
		// The re-read answers bob, stored before A's sign-out.
		expect(await world.release('get', {holder: 'a', which: 'newest'})).toBe(true);
		await world.settle();
				expect(statuses).not.toContain('signedIn');
		// Then everything else lands in the order it was made.
		await world.drain();

		await Promise.all([signOut, bobSignsIn]);
		expect(readsBeforeSignOut).toBeGreaterThan(0);
		// A's refresh handed its new tokens over before its compare-and-set answered (and lost to bob).
		expect(await refresh).toMatchObject({accessToken: 'at.1'});
				expect(statuses).not.toContain('signedIn');
		expect(a.getSnapshot().status).toBe('signedOut');
		expect(world.stored()).toBeNull();
	});
});
