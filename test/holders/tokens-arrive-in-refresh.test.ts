/**
 * A signed-out holder refreshes by hand before it has seen another holder's sign-in: the refresh's read inside
 * the lock finds that sign-in and adopts it (tokens arriving while none are held), then spends its refresh
 * token. That spend belongs to the sign-in just adopted: its result is held like any other refresh's, even when
 * its commit fails (the new tokens are then the only valid ones). It used to be planned under the epoch from
 * before the adoption, so its result was dropped as stale: the holder kept the refresh token it had just spent
 * and spent it again on its next refresh (reuse: the server revokes the whole sign-in).
 */
import {describe, expect, it} from 'vitest';
import {scriptedWorld} from './scripted-store.js';

describe("a manual refresh whose in-lock read brings another holder's sign-in", () => {
	it('holds what it obtained, even when its commit fails, and never spends that refresh token again', async () => {
		const world = scriptedWorld();
		const a = world.sessionFor('a');
		const b = world.sessionFor('b');
		await world.settle();
		world.hold();
		a.addEventListener('storeerror', () => undefined);

		// B signs in; the write lands, and A's read on the change notification is held back.
		const signIn = b.signIn({accessToken: 'at.0', refreshToken: 'rt.0', expiresIn: 3600});
		expect(await world.release('set')).toBe(true);
		// A (still signed out as far as it knows) refreshes: its read inside the lock answers B's sign-in.
		const refresh = a.refresh();
		expect(await world.release('get', {holder: 'a', which: 'newest'})).toBe(true);
		expect(await world.release('refresh')).toBe(true);
		world.failNextWrite();
		expect(await world.release('compareAndSet')).toBe(true);
		await world.drain();
		await signIn;

		expect(await refresh).toMatchObject({accessToken: 'at.1', refreshToken: 'rt.1'});
		expect(await a.getAccessToken()).toBe('at.1');
		// The next refresh spends rt.1, never rt.0 again.
		const next = a.refresh();
		await world.drain();
		expect(await next).toMatchObject({accessToken: 'at.2'});
		expect(world.presented).toEqual(['rt.0', 'rt.1']);
	});
});
