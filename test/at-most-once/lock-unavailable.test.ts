/**
 * Issue 16, items 1 and 5, in the session: a store whose lock cannot be taken (Redis unreachable, or no answer
 * in time: an unknown outcome) is no permission to spend a shared refresh token. A user session fails fast and
 * spends nothing; a machine session holding no refresh token spends nothing shared and obtains its own.
 */
import {describe, expect, it} from 'vitest';
import {createAuthSession, createMachineSession, memoryStore, RefreshError, type TokenStore} from '../../src/index.js';

function unlockable(): TokenStore {
	return {
		...memoryStore(),
		async lock() {
			throw Object.assign(new Error('Redis did not answer in time'), {code: 'REDIS_TIMEOUT'});
		},
	};
}

describe('a store lock that cannot be taken', () => {
	it('fails a user session\'s refresh with a RefreshError; the refresh token is not presented', async () => {
		let calls = 0;
		const session = createAuthSession({
			store: unlockable(),
			refresh: async () => {
				calls++;
				return {accessToken: 'new', refreshToken: 'rt.2'};
			},
		});
		session.addEventListener('refresherror', () => undefined);
		await session.signIn({accessToken: 'old', refreshToken: 'rt.1', expiresIn: 0});
		const outcomes = await Promise.all(Array.from({length: 10}, async () => session.getAccessToken().catch((error: unknown) => error)));
		for (const outcome of outcomes) {
			expect(outcome).toBeInstanceOf(RefreshError);
			expect(String(outcome)).toMatch(/lock could not be taken.*not spent/);
		}
		expect(calls).toBe(0);
	});

	it('lets a machine session holding no refresh token obtain its own: one call for a storm', async () => {
		let calls = 0;
		const session = createMachineSession({
			store: unlockable(),
			refresh: async () => {
				calls++;
				return {accessToken: `m.${calls}`, expiresIn: 300};
			},
		});
		const tokens = await Promise.all(Array.from({length: 10}, async () => session.getAccessToken()));
		expect(new Set(tokens)).toEqual(new Set(['m.1']));
		expect(calls).toBe(1);
	});

	it('does not let a machine session spend a refresh token alone', async () => {
		const presented: Array<string | undefined> = [];
		let now = 1_000_000;
		const session = createMachineSession({
			store: unlockable(),
			now: () => now,
			refresh: async ({tokens}) => {
				presented.push(tokens?.refreshToken);
				return {accessToken: 'm', refreshToken: 'shared', expiresIn: 300};
			},
		});
		session.addEventListener('refresherror', () => undefined);
		// The first token is obtained alone (nothing shared was held); it came with a refresh token.
		expect(await session.getAccessToken()).toBe('m');
		now += 301_000;
		await expect(session.getAccessToken()).rejects.toBeInstanceOf(RefreshError);
		expect(presented).toEqual([undefined]);
	});
});
