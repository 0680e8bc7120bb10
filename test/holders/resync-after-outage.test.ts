import {describe, expect, it} from 'vitest';
import {createAuthSession, memoryStore, type TokenRecord, type TokenStore} from '../../src/index.js';

describe('a store that comes back after an outage', () => {
	it('gets the newer generation a failed write left in memory, so no holder spends the spent refresh token', async () => {
		const inner = memoryStore();
		let down = false;
		const store: TokenStore = {
			...inner,
			compareAndSet(expected, next) {
				if (down) {
					throw new Error('connection refused');
				}
				return inner.compareAndSet!(expected, next);
			},
		};
		const spent = new Set<string>();
		let reuse = 0;
		let issued = 0;
		const refresh = async ({tokens}: {tokens: {refreshToken?: string | undefined} | null}) => {
			const presented = tokens?.refreshToken ?? '';
			if (spent.has(presented)) {
				reuse++;
				return null;
			}
			spent.add(presented);
			issued++;
			return {accessToken: `a${issued}`, refreshToken: `r${issued}`};
		};
		const session = createAuthSession({store, refresh});
		await session.signIn({accessToken: 'a0', refreshToken: 'r0'});
		const storeErrors: unknown[] = [];
		session.addEventListener('storeerror', event => storeErrors.push(event.detail));

		down = true;
		await session.refresh();
		expect(storeErrors).toHaveLength(1);
		expect((inner.get() as TokenRecord).generation).toBe(0);

		// The store is back and reports a change (as a Redis store does on reconnect): it still holds generation 0.
		down = false;
		void inner.set(inner.get() as TokenRecord);
		await Promise.resolve();
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		expect(inner.get()).toMatchObject({generation: 1, tokens: {accessToken: 'a1', refreshToken: 'r1'}});

		const replica = createAuthSession({store, refresh});
		expect(await replica.refresh()).toMatchObject({accessToken: 'a2'});
		expect(reuse).toBe(0);
	});
});
