/**
 * Regression: a refreshTimeout beyond what a timer can hold (2^31-1 ms) is a TypeError at creation,
 * not a timer that fires at once. Spec item 13.
 */
import {describe, expect, it} from 'vitest';
import {createAuthSession} from '../../src/index.js';

describe('refreshTimeout beyond what a timer can hold', () => {
	it('is either rejected at creation with a TypeError, or honoured', async () => {
		let session;
		try {
			session = createAuthSession({
				refreshTimeout: 2 ** 31,
				refresh: async () => new Promise(resolve => {
					setTimeout(() => resolve({accessToken: 'new'}), 20);
				}),
			});
		} catch (error) {
			expect(error).toBeInstanceOf(TypeError);
			return;
		}
		await session.signIn({accessToken: 'old'});
		await expect(session.refresh()).resolves.toMatchObject({accessToken: 'new'});
	});
});
