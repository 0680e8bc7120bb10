/**
 * Found again by the interleavings property (synchronous store, INTERLEAVINGS_SEED=400890392
 * INTERLEAVINGS_RUNS=2917 with the scenarios as of 4ef6c01; issue 16 lists it under "known": a sign-out
 * overwritten by an earlier, failed sign-in write). The property quarantines it (interleavings/known-bugs.ts).
 * Holder A's sign-in write fails, so A marks the store as behind: what it still holds (nothing, after an earlier
 * sign-out) is stale to A. Holder B then signs out: its write of `null` is a change report, A reads `null`, takes it for the
 * stale record its failed write should have replaced, and writes its sign-in again over B's later sign-out. The
 * store and both holders end signed in.
 *
 * `it.fails` while the bug stands (src/session is being changed elsewhere): turn it into `it` with the fix, and
 * end its quarantine in interleavings/known-bugs.ts.
 */
import {describe, expect, it} from 'vitest';
import {createAuthSession, memoryStore, type TokenRecord, type TokenStore} from '../../src/index.js';
import {turn} from './interleavings/server.js';

describe('a sign-out in another holder after a sign-in whose store write failed', () => {
	it.fails('is not undone by the failed sign-in being written again', async () => {
		const inner = memoryStore();
		let down = false;
		const store: TokenStore = {
			...inner,
			set(record) {
				if (down) {
					throw new Error('the store is down');
				}
				return inner.set(record);
			},
		};
		const refresh = async () => null;
		const a = createAuthSession({store, refresh});
		const b = createAuthSession({store, refresh});
		await a.signIn({accessToken: 'at.0', refreshToken: 'rt.0', expiresIn: 3600});
		await a.signOut();
		down = true;
		await expect(a.signIn({accessToken: 'at.1', refreshToken: 'rt.1', expiresIn: 3600})).rejects.toMatchObject({code: 'STORE_WRITE_FAILED'});
		down = false;
		await b.signOut();
		for (let index = 0; index < 5; index++) {
			await turn();
		}
		expect(inner.get() as TokenRecord | null).toBeNull();
		expect(b.getSnapshot().status).toBe('signedOut');
		expect(a.getSnapshot().status).toBe('signedOut');
	});
});
