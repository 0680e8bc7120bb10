import {describe, expect, it, vi} from 'vitest';
import {createAuthSession, createMachineSession, memoryStore, RefreshError, StoreError, type TokenStore} from '../../src/index.js';

/** A shared store whose reads fail while `down` (Redis cut off, say); writes and the lock keep working. */
function flakyReads(): {store: TokenStore; setDown: (value: boolean) => void} {
	const inner = memoryStore();
	let down = false;
	return {
		store: {
			...inner,
			get() {
				if (down) {
					throw new Error('connection refused');
				}
				return inner.get();
			},
		},
		setDown(value) {
			down = value;
		},
	};
}

describe('a store that cannot be read inside the lock', () => {
	it('a refresh token is not spent blind (another holder may have rotated it): RefreshError, tokens kept, spent once the store is back', async () => {
		const {store, setDown} = flakyReads();
		const refresh = vi.fn(async () => ({accessToken: 'a1', refreshToken: 'r1'}));
		const session = createAuthSession({store, refresh});
		session.addEventListener('refresherror', () => undefined);
		await session.signIn({accessToken: 'a0', refreshToken: 'r0'});
		setDown(true);
		const error = await session.refresh().catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(RefreshError);
		expect((error as RefreshError).cause).toBeInstanceOf(StoreError);
		expect(refresh).not.toHaveBeenCalled();
		expect(await session.getAccessToken()).toBe('a0');
		setDown(false);
		expect(await session.refresh()).toMatchObject({accessToken: 'a1'});
		expect(refresh).toHaveBeenCalledTimes(1);
	});

	it('a machine session without a refresh token still obtains one (nothing can be reused)', async () => {
		const {store, setDown} = flakyReads();
		const session = createMachineSession({store, refresh: async () => ({accessToken: 'service'})});
		setDown(true);
		expect(await session.getAccessToken()).toBe('service');
	});
});
