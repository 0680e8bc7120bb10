import {describe, expect, it} from 'vitest';
import {createAuthSession, memoryStore, type TokenRecord, type TokenStore} from '../../src/index.js';

/** A shared memory store whose writes fail while `down`; `announce()` stands for "the store is back and tells its subscribers". */
function outageStore(): {store: TokenStore; setDown: (value: boolean) => void; stored: () => TokenRecord | null; announce: () => void} {
	const inner = memoryStore();
	let down = false;
	const guard = (): void => {
		if (down) {
			throw new Error('connection refused');
		}
	};
	return {
		store: {
			...inner,
			set(record) {
				guard();
				return inner.set(record);
			},
			compareAndSet(expected, next) {
				guard();
				return inner.compareAndSet!(expected, next);
			},
		},
		setDown(value) {
			down = value;
		},
		stored: () => inner.get() as TokenRecord | null,
		announce() {
			void inner.set(inner.get() as TokenRecord | null);
		},
	};
}

async function settle(): Promise<void> {
	for (let turn = 0; turn < 5; turn++) {
		await new Promise(resolve => {
			setImmediate(resolve);
		});
	}
}

describe('a sign-in or sign-out whose store write failed is not undone when the store comes back', () => {
	it('sign-out: the stale sign-in the store still holds is not adopted, and the sign-out is written again', async () => {
		const outage = outageStore();
		const session = createAuthSession({store: outage.store, refresh: async () => ({accessToken: 'a1'})});
		await session.signIn({accessToken: 'a0', refreshToken: 'r0'});
		outage.setDown(true);
		await expect(session.signOut()).rejects.toMatchObject({code: 'STORE_WRITE_FAILED'});
		outage.setDown(false);
		outage.announce();
		await settle();
		expect(session.getSnapshot().status).toBe('signedOut');
		expect(outage.stored()).toBeNull();
	});

	it('sign-in as B: the stale sign-in of A is not adopted, and B is written again', async () => {
		const outage = outageStore();
		const session = createAuthSession({store: outage.store});
		await session.signIn({accessToken: 'user-a'});
		outage.setDown(true);
		const signedIn: unknown[] = [];
		session.addEventListener('signedin', event => signedIn.push(event.detail));
		await expect(session.signIn({accessToken: 'user-b'})).rejects.toMatchObject({code: 'STORE_WRITE_FAILED'});
		expect(signedIn).toHaveLength(1);
		outage.setDown(false);
		outage.announce();
		await settle();
		expect(await session.getAccessToken()).toBe('user-b');
		expect(outage.stored()?.tokens.accessToken).toBe('user-b');
	});

	it("a refresh while this holder's last commit failed does not overwrite another holder's sign-out", async () => {
		const outage = outageStore();
		let issued = 0;
		const refresh = async () => ({accessToken: `a${++issued}`, refreshToken: `r${issued}`});
		const first = createAuthSession({store: {get: outage.store.get, set: outage.store.set, compareAndSet: outage.store.compareAndSet!}, refresh});
		const second = createAuthSession({store: outage.store, refresh});
		await first.signIn({accessToken: 'a0', refreshToken: 'r0'});
		first.addEventListener('storeerror', () => undefined);
		outage.setDown(true);
		await first.refresh();
		outage.setDown(false);
		expect(outage.stored()?.generation).toBe(0);
		await second.signOut();
		expect(outage.stored()).toBeNull();
		expect(await first.refresh()).toBeNull();
		expect(outage.stored()).toBeNull();
		expect(first.getSnapshot().status).toBe('signedOut');
	});
});
