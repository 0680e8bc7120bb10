/**
 * Shrunk from the asynchronous-store property (INTERLEAVINGS_SEED=991104653 INTERLEAVINGS_RUNS=5000): A's
 * sign-in was not written (the store was down), so A writes it again when the store next reports the stale
 * state. A's refresh, inside the lock, planned against that stale state (nothing stored) and spent rt.0; A's
 * write-again of generation 0 landed first, outside the lock, so the refresh's compare-and-set of generation 1
 * lost, and A adopted generation 0 again: it held the refresh token it had just spent, and spent it again.
 * Writing again now takes the lock and checks again inside it.
 */
import {describe, expect, it} from 'vitest';
import {scriptedWorld} from './scripted-store.js';

describe('a holder writing its failed sign-in again while its own refresh is in the lock', () => {
	it('never spends the same refresh token twice', async () => {
		const world = scriptedWorld();
		const a = world.sessionFor('a');
		const b = world.sessionFor('b');
		await world.settle();
		world.hold();
		a.addEventListener('storeerror', () => undefined);
		b.addEventListener('refresherror', () => undefined);

		// A signs in; the write fails: A holds alice, the store holds nothing (stale for A).
		world.failNextWrite();
		const signIn = a.signIn({accessToken: 'at.0', refreshToken: 'rt.0', expiresIn: 3600}).catch((error: unknown) => error);
		expect(await world.release('set', {holder: 'a'})).toBe(true);
		expect(await signIn).toMatchObject({code: 'STORE_WRITE_FAILED'});
		// B (signed out) refreshes by hand, in the lock: it spends nothing and commits nothing over nothing.
		const bRefresh = b.refresh();
		expect(await world.release('get', {holder: 'b'})).toBe(true);
		expect(await world.release('refresh')).toBe(true);
		// A refreshes by hand: it waits for the lock.
		const aRefresh = a.refresh();
		// B's commit lands (a change report: A reads the store), and B's lock goes to A's refresh, which reads the store.
		expect(await world.release('compareAndSet', {holder: 'b'})).toBe(true);
		await world.settle();
		expect(world.held('get')).toBeGreaterThanOrEqual(2);
		// A's refresh reads nothing stored (stale: its own failed sign-in) and spends rt.0.
		expect(await world.release('get', {holder: 'a', which: 'newest'})).toBe(true);
		await world.settle();
		expect(world.held('refresh')).toBe(1);
		// A's read on B's change answers nothing stored: A writes alice again.
		expect(await world.release('get', {holder: 'a'})).toBe(true);
		// A's refresh answers; any held writes of A land, oldest first.
		expect(await world.release('refresh')).toBe(true);
		await world.drain();
		await bRefresh;

		expect(await aRefresh).toMatchObject({accessToken: 'at.1'});
		const next = a.refresh();
		await world.drain();
		expect(await next).toMatchObject({accessToken: 'at.2'});
		expect(world.presented).toEqual([undefined, 'rt.0', 'rt.1']);
		expect(world.stored()?.tokens.accessToken).toBe('at.2');
	});
});
