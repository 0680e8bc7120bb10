/**
 * Regression: a refresh abandoned at its timeout releases the store lock, so one stalled refresh that
 * ignores its signal cannot make every later refresh (in every tab) time out. Spec item 9.
 */
import {describe, expect, it} from 'vitest';
import {createAuthSession, memoryStore, RefreshError, type TokenSet, type TokenStore} from '../../src/index.js';

/** A memory store with an exclusive lock (as webStorageStore has through navigator.locks). */
function lockingStore(): TokenStore {
	const store = memoryStore();
	let tail: Promise<unknown> = Promise.resolve();
	return {
		...store,
		async lock<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T> {
			const previous = tail;
			let release!: () => void;
			tail = new Promise<void>(resolve => {
				release = resolve;
			});
			await Promise.race([previous, new Promise((_resolve, reject) => {
				signal.addEventListener('abort', () => reject(signal.reason as Error), {once: true});
			})]);
			try {
				return await task();
			} finally {
				release();
			}
		},
	};
}

describe('a refresh abandoned at its timeout releases the store lock', () => {
	it('after one refresh stalls (ignoring its signal), the next refresh succeeds', async () => {
		let calls = 0;
		const session = createAuthSession({
			store: lockingStore(),
			refreshTimeout: 100,
			refresh: async (): Promise<TokenSet> => {
				calls++;
				return calls === 1 ? new Promise(() => undefined) : {accessToken: 'fresh'};
			},
		});
		await session.signIn({accessToken: 'old', refreshToken: 'r'});
		await expect(session.refresh()).rejects.toBeInstanceOf(RefreshError);
		const second = await session.refresh().catch((error: unknown) => error);
		expect(second).toMatchObject({accessToken: 'fresh'});
		expect(calls).toBe(2);
	});
});
