/**
 * Issue 16, item 2: waiting for another holder is not failing. A holder that died keeps the lock until its TTL
 * runs out; the waiters' `refreshTimeout` bounds their own refresh, not that wait, so they take over and succeed.
 */
import {afterEach, describe, expect, it, vi} from 'vitest';
import {createAuthSession, memoryStore, type TokenStore} from '../../src/index.js';
import {lockWaitLimit} from '../../src/session/refresh/locked-refresh.js';

afterEach(() => {
	vi.useRealTimers();
});

/** A memory store whose lock the test can hold, as a crashed holder holds a Redis lock until its TTL. */
function heldStore(): {store: TokenStore; hold: () => () => void} {
	const inner = memoryStore();
	let tail: Promise<void> = Promise.resolve();
	const take = (): {ready: Promise<void>; release: () => void} => {
		const previous = tail;
		let release!: () => void;
		tail = new Promise(resolve => {
			release = resolve;
		});
		return {ready: previous, release};
	};
	const store: TokenStore = {
		...inner,
		async lock(task, signal) {
			const {ready, release} = take();
			try {
				await Promise.race([ready, new Promise((_resolve, reject) => {
					signal.addEventListener('abort', () => reject(signal.reason as Error), {once: true});
				})]);
				return await task();
			} finally {
				release();
			}
		},
	};
	return {store, hold: () => take().release};
}

describe('a refresh waiting for a lock held longer than refreshTimeout', () => {
	it('waits for it instead of failing at refreshTimeout, then refreshes once for every waiter', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
		const {store, hold} = heldStore();
		let calls = 0;
		const session = createAuthSession({store, refreshTimeout: 4000, refresh: async () => ({accessToken: `at.${++calls}`, refreshToken: 'rt', expiresIn: 300})});
		await session.signIn({accessToken: 'at.0', refreshToken: 'rt.0', expiresIn: 0});
		const release = hold();
		const waiters = Array.from({length: 50}, async () => session.getAccessToken().catch((error: unknown) => error));
		await vi.advanceTimersByTimeAsync(3 * 4000);
		expect(calls).toBe(0);
		release();
		await vi.advanceTimersByTimeAsync(0);
		expect(new Set(await Promise.all(waiters))).toEqual(new Set(['at.1']));
		expect(calls).toBe(1);
	});

	it('gives up at lockWaitLimit when the lock is never released, with REFRESH_TIMEOUT and nothing spent', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
		const {store, hold} = heldStore();
		let calls = 0;
		const session = createAuthSession({store, refreshTimeout: 4000, refresh: async () => ({accessToken: `at.${++calls}`})});
		session.addEventListener('refresherror', () => undefined);
		await session.signIn({accessToken: 'at.0', refreshToken: 'rt.0', expiresIn: 0});
		hold();
		const waiter = session.getAccessToken().catch((error: unknown) => error);
		await vi.advanceTimersByTimeAsync(lockWaitLimit(4000) + 1);
		expect(await waiter).toMatchObject({code: 'REFRESH_TIMEOUT'});
		expect(String(await waiter)).toMatch(/waited \d+ ms for another holder's refresh/);
		expect(calls).toBe(0);
	});
});
