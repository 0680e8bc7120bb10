/**
 * Shrunk from the asynchronous-store property (interleavings.property.test.ts, INTERLEAVINGS_SEED=-2042946607):
 * a holder signs out (its store write has not landed yet) and then refreshes by hand. The refresh reads the
 * store inside the lock; the read answered from before the sign-out's write (alice still stored) and was
 * adopted as news ("tokens arriving while none are held"), undoing the sign-out in memory. The write landed,
 * the refresh's compare-and-set then failed, and the new epoch the adoption started made the refresh end
 * without reading the store again; the store's change notification was dropped as older than the commit: the
 * holder ended signed in as alice over an empty store.
 */
import {describe, expect, it} from 'vitest';
import {createAuthSession} from '../../src/index.js';
import {scriptedWorld, type HeldCall} from './scripted-store.js';

/**
 * The counterexample's order: a read made while the sign-out's write is held answers first, then the write
 * lands, then the refresh answers, then its compare-and-set, and reads made after the write last.
 */
function counterexampleOrder(call: HeldCall): number {
	if (call.kind === 'get') {
		return call.afterUnlandedSet ? 0 : 4;
	}
	return {set: 1, refresh: 2, compareAndSet: 3}[call.kind];
}

describe('a manual refresh right after a sign-out whose store write has not landed', () => {
	it('never brings the sign-in back: the holder stays signed out, and so does the store', async () => {
		const world = scriptedWorld();
		const session = createAuthSession({store: world.store, refresh: world.refresh});
		await session.signIn({accessToken: 'at.0', refreshToken: 'rt.0', expiresIn: 3600});
		world.hold();

		const statuses: string[] = [];
		session.subscribe(() => {
			statuses.push(session.getSnapshot().status);
		});
		const signOut = session.signOut();
		const refresh = session.refresh();
		for (let steps = 0; steps < 50 && await world.step(counterexampleOrder); steps++) {
			// Each step releases one held call in the counterexample's order.
		}

		await signOut;
		expect(await refresh).toBeNull();
		expect(statuses).not.toContain('signedIn');
		expect(session.getSnapshot().status).toBe('signedOut');
		expect(await session.getAccessToken()).toBeNull();
		expect(world.stored()).toBeNull();
		// The signed-out holder had no refresh token to spend: alice's was never presented.
		expect(world.presented).not.toContain('rt.0');
	});
});
