/**
 * Issue 16, item 5: a machine session whose store cannot be read when it starts (Redis down) has no shared
 * refresh token to protect: it obtains its own token. A user session fails the request instead.
 */
import {describe, expect, it} from 'vitest';
import {createAuthSession, createMachineSession, StoreError, type TokenStore} from '../../src/index.js';

function unreadable(): TokenStore {
	return {
		async get() {
			throw new Error('Redis is unavailable');
		},
		async set() {
			throw new Error('Redis is unavailable');
		},
	};
}

describe('a store that cannot be read when the session starts', () => {
	it('lets a machine session obtain its own token, once for a storm', async () => {
		let calls = 0;
		const session = createMachineSession({store: unreadable(), refresh: async () => ({accessToken: `m.${++calls}`, expiresIn: 300})});
		session.addEventListener('storeerror', () => undefined);
		const tokens = await Promise.all(Array.from({length: 20}, async () => session.getAccessToken()));
		expect(new Set(tokens)).toEqual(new Set(['m.1']));
		expect(calls).toBe(1);
	});

	it('fails a user session\'s request with STORE_READ_FAILED', async () => {
		const session = createAuthSession({store: unreadable(), refresh: async () => ({accessToken: 'x'})});
		await expect(session.getAccessToken()).rejects.toBeInstanceOf(StoreError);
	});
});
