/**
 * Found by the interleavings property (issue 16 faults; e.g. INTERLEAVINGS_SEED=-1519908197 shrinks to it): a
 * holder whose token request hangs signs out (or signs in, is disposed, or follows another holder's sign-in or
 * sign-out) while the refresh token is being spent. The refresh's signal is then never aborted: runLockedRefresh
 * clears its own `refreshTimeout` timer as soon as its waiters leave (the epoch changed), while the spend goes on
 * inside the lock waiting for an answer (spendOnce waits on that signal, then on the grace). A refresh function
 * that honours its signal, as documented, never ends, and the store's lock is held for ever: every other
 * holder's refresh, for any later sign-in, fails with REFRESH_TIMEOUT ("waited 61000 ms for another holder's
 * refresh") from then on.
 *
 * Fixed: the refresh's own timer runs to the end of its attempt, whatever the epoch (locked-refresh.ts).
 */
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {createAuthSession, memoryStore, type RefreshContext, type TokenSet} from '../../src/index.js';
import {lateAnswerGrace} from '../../src/session/refresh/spend.js';

beforeEach(() => {
	vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
});

afterEach(() => {
	vi.useRealTimers();
});

/** Settles `promise` while the fake clock advances `ms`. */
async function settle<T>(promise: Promise<T>, ms: number): Promise<PromiseSettledResult<T>> {
	const result = Promise.allSettled([promise]);
	await vi.advanceTimersByTimeAsync(ms);
	return (await result)[0]!;
}

describe('a refresh whose token request hangs, in a holder that signs out meanwhile', () => {
	it('still has its signal aborted at refreshTimeout and the grace, so the lock is let go and another holder refreshes', async () => {
		const store = memoryStore();
		const signals: AbortSignal[] = [];
		let calls = 0;
		// The first token request never answers; like fetch, it rejects when its signal aborts.
		const refresh = async ({signal}: RefreshContext): Promise<TokenSet> => {
			calls++;
			if (calls === 1) {
				signals.push(signal);
				return new Promise<never>((_resolve, reject) => {
					signal.addEventListener('abort', () => {
						reject(signal.reason as Error);
					}, {once: true});
				});
			}
			return {accessToken: `at.${calls}`, refreshToken: `rt.${calls}`, expiresIn: 3600};
		};
		const a = createAuthSession({store, refresh, refreshTimeout: 1000});
		const b = createAuthSession({store, refresh, refreshTimeout: 1000});
		a.addEventListener('refresherror', () => undefined);
		b.addEventListener('refresherror', () => undefined);
		await a.signIn({accessToken: 'at.0', refreshToken: 'rt.0', expiresIn: 3600});
		const hanging = a.refresh();
		await vi.advanceTimersByTimeAsync(10);
		expect(signals).toHaveLength(1);
		await a.signOut();
		expect(await settle(hanging, 0)).toEqual({status: 'fulfilled', value: null});
		await vi.advanceTimersByTimeAsync(1000 + lateAnswerGrace);
		expect(signals[0]?.aborted).toBe(true);
		// Another holder, another sign-in: its refresh must not wait for a lock nobody will let go.
		await b.signIn({accessToken: 'bob.0', refreshToken: 'bob-rt.0', expiresIn: 3600});
		expect(await settle(b.refresh(), 1000)).toMatchObject({status: 'fulfilled', value: {accessToken: 'at.2'}});
	});
});
