/**
 * Regression: a refresh abandoned at its timeout releases the store lock, so one stalled refresh that
 * ignores its signal cannot make every later refresh (in every tab) time out. Spec item 9. It is kept for
 * `lateAnswerGrace` past the timeout first: an answer the server may have acted on is still awaited and kept.
 */
import {afterEach, describe, expect, it, vi} from 'vitest';
import {createAuthSession, memoryStore, RefreshError, type TokenSet, type TokenStore} from '../../src/index.js';
import {lateAnswerGrace} from '../../src/session/refresh/spend.js';

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
	afterEach(() => {
		vi.useRealTimers();
	});

	it('after one refresh stalls (ignoring its signal), the lock is kept for a late answer\'s grace, then the next refresh succeeds', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
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
		const first = session.refresh().catch((error: unknown) => error);
		await vi.advanceTimersByTimeAsync(101);
		expect(await first).toBeInstanceOf(RefreshError);
		const second = session.refresh().catch((error: unknown) => error);
		// Its answer may still come: nobody presents the refresh token again meanwhile.
		await vi.advanceTimersByTimeAsync(lateAnswerGrace - 200);
		expect(calls).toBe(1);
		await vi.advanceTimersByTimeAsync(200);
		expect(await second).toMatchObject({accessToken: 'fresh'});
		expect(calls).toBe(2);
	});
});
