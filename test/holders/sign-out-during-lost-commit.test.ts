/**
 * Shrunk from the asynchronous-store property (INTERLEAVINGS_SEED=-1289537309 INTERLEAVINGS_RUNS=5000): holder A
 * spends alice's refresh token; meanwhile B signs in as bob (A follows: a new epoch, but the spend goes on to its
 * commit) and C signs out. A reads the store on C's change, but its refresh's compare-and-set starts before that
 * read answers, so the answer is dropped (it may be from before A's own write, whose change report would come
 * later). The compare-and-set loses (nothing is stored), so no such report ever comes, and A's refresh, of an
 * older epoch, ends without reading the store: A stayed signed in as bob over C's sign-out.
 */
import {describe, expect, it} from 'vitest';
import {createAuthSession} from '../../src/index.js';
import {scriptedWorld} from './scripted-store.js';

describe("a holder's refresh commit that loses, started while it read the store on another holder's sign-out", () => {
	it('the sign-out still reaches that holder', async () => {
		const world = scriptedWorld();
		const [a, b, c] = ['a', 'b', 'c'].map(holder => createAuthSession({store: world.storeFor(holder), refresh: world.refresh}));
		if (!a || !b || !c) {
			throw new Error('three holders');
		}
		await a.signIn({accessToken: 'at.0', refreshToken: 'rt.0', expiresIn: 3600});
		await world.settle();
		world.hold();

		// A refreshes: its read inside the lock answers alice, and it spends rt.0 (the answer is held back).
		const refresh = a.refresh();
		expect(await world.release('get', {holder: 'a'})).toBe(true);
		// B signs in as bob; A follows (a new epoch for A; its spend goes on to its commit).
		const bobSignsIn = b.signIn({accessToken: 'at.bob', refreshToken: 'rt.bob', expiresIn: 3600});
		expect(await world.release('set', {holder: 'b'})).toBe(true);
		expect(await world.release('get', {holder: 'a'})).toBe(true);
		await world.settle();
		expect(await a.getAccessToken()).toBe('at.bob');
		// C signs out; the write lands and A reads the store on that change (held back).
		const signOut = c.signOut();
		expect(await world.release('set', {holder: 'c'})).toBe(true);
		await world.settle();
		expect(world.held('get')).toBeGreaterThan(0);
		// A's refresh answers and its compare-and-set starts; then A's read answers (nothing stored); then the compare-and-set loses.
		expect(await world.release('refresh')).toBe(true);
		await world.settle();
		expect(world.held('compareAndSet')).toBe(1);
		expect(await world.release('get', {holder: 'a'})).toBe(true);
		expect(await world.release('compareAndSet')).toBe(true);
		await world.drain();
		await Promise.all([bobSignsIn, signOut, refresh]);

		expect(world.stored()).toBeNull();
		expect(a.getSnapshot().status).toBe('signedOut');
		expect(await a.getAccessToken()).toBeNull();
	});
});
