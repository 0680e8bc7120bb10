/**
 * Found next to sign-out-then-refresh.test.ts (a stale read adopted over newer news): a holder's first read
 * of an asynchronous store is still out when the store reports a change (another holder signs in or out) and
 * the holder reads again. The read made after the change is the newer one; the first read, answering later
 * with what the store held before, must not replace it (it used to, as the "initial" value).
 */
import {describe, expect, it} from 'vitest';
import {createAuthSession, memoryStore, type TokenRecord, type TokenStore} from '../../src/index.js';
import {deferred, type Deferred} from '../helpers/deferred.js';

/** A memoryStore whose reads answer at once, except those made while `holdReads` is on: they wait for `answer()` with what the store held when asked. */
function slowFirstReadStore() {
	const inner = memoryStore();
	const held: Array<{value: TokenRecord | null; answered: Deferred<TokenRecord | null>}> = [];
	const control = {holdReads: false};
	const store: TokenStore = {
		...inner,
		get: async () => {
			const value = inner.get() as TokenRecord | null;
			if (!control.holdReads) {
				return value;
			}
			const answered = deferred<TokenRecord | null>();
			held.push({value, answered});
			return answered.promise;
		},
	};
	return {
		store,
		control,
		stored: () => inner.get() as TokenRecord | null,
		/** Answers the held reads with what the store held when each was made. */
		answer(): number {
			const count = held.length;
			for (const read of held.splice(0)) {
				read.answered.resolve(read.value);
			}
			return count;
		},
	};
}

async function settle(): Promise<void> {
	for (let index = 0; index < 5; index++) {
		await new Promise<void>(resolve => {
			setImmediate(resolve);
		});
	}
}

describe("a holder's first read of the store, answering after a change the store reported", () => {
	it('another holder signed out meanwhile: the sign-in read first is not adopted over the sign-out', async () => {
		const world = slowFirstReadStore();
		const a = createAuthSession({store: world.store});
		await a.signIn({accessToken: 'alice', expiresIn: 3600});
		world.control.holdReads = true;
		const b = createAuthSession({store: world.store});
		world.control.holdReads = false;
		await a.signOut();
		await settle();

		expect(world.answer()).toBe(1);
		await settle();
		expect(world.stored()).toBeNull();
		expect(b.getSnapshot().status).toBe('signedOut');
		expect(await b.getAccessToken()).toBeNull();
	});

	it('another holder signed in meanwhile: the empty store read first does not sign this holder out', async () => {
		const world = slowFirstReadStore();
		const a = createAuthSession({store: world.store});
		world.control.holdReads = true;
		const b = createAuthSession({store: world.store});
		world.control.holdReads = false;
		await a.signIn({accessToken: 'alice', expiresIn: 3600});
		await settle();

		expect(world.answer()).toBe(1);
		await settle();
		expect(b.getSnapshot().status).toBe('signedIn');
		expect(await b.getAccessToken()).toBe('alice');
	});
});
