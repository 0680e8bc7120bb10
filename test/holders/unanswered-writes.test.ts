/**
 * A store write that lands but is never answered (its promise never settles). Reads wait for this holder's own
 * writes in flight (so an answer from before them is never adopted): that wait, and the store's lock, must be
 * bounded, or one unanswered write stops a holder from refreshing and from following other holders for ever,
 * and a write-again inside the lock stops every holder. Found by a review of the session's race fixes.
 */
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {createAuthSession, memoryStore} from '../../src/index.js';
import type {TokenRecord, TokenRecordVersion, TokenStore} from '../../src/index.js';

const never = new Promise<never>(() => undefined);

/** A memoryStore behind an asynchronous face whose next writes land but are never answered. */
function lossyStore() {
	const inner = memoryStore();
	let lose = 0;
	let refuse = 0;
	const answer = async <T>(value: T): Promise<T> => {
		if (lose > 0) {
			lose--;
			return never;
		}
		return value;
	};
	const store: TokenStore = {
		get: async () => inner.get(),
		async set(record: TokenRecord | null) {
			if (refuse > 0) {
				refuse--;
				throw new Error('disk full');
			}
			await inner.set(record);
			return answer(undefined);
		},
		async compareAndSet(expected: TokenRecordVersion, next: TokenRecord | null) {
			return answer(await inner.compareAndSet!(expected, next));
		},
		subscribe: listener => inner.subscribe!(listener),
		lock: async (task, signal) => inner.lock!(task, signal),
	};
	return {
		store,
		loseNextWrites(count = 1) {
			lose = count;
		},
		refuseNextSet() {
			refuse = 1;
		},
		loseAllWrites() {
			lose = Number.POSITIVE_INFINITY;
		},
	};
}

let grants = 0;
const refresh = async () => ({accessToken: `at.${++grants}`, refreshToken: `rt.${grants}`, expiresIn: 3600});

beforeEach(() => {
	grants = 0;
	vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
});

afterEach(() => {
	vi.useRealTimers();
});

/** Settles `promise` while advancing the fake clock. */
async function settle<T>(promise: Promise<T>, ms = 1000): Promise<PromiseSettledResult<T>> {
	const result = Promise.allSettled([promise]);
	await vi.advanceTimersByTimeAsync(ms);
	return (await result)[0]!;
}

describe('a store write that is never answered', () => {
	it('a sign-in write never answered: signIn fails at the timeout, and the holder refreshes again afterwards', async () => {
		const world = lossyStore();
		const session = createAuthSession({store: world.store, refresh, refreshTimeout: 200});
		world.loseNextWrites();
		const signIn = await settle(session.signIn({accessToken: 'at.0', refreshToken: 'rt.0', expiresIn: 3600}));
		expect(signIn.status).toBe('rejected');
		expect(await settle(session.refresh())).toMatchObject({status: 'fulfilled', value: {accessToken: 'at.1'}});
		expect(await settle(session.refresh())).toMatchObject({status: 'fulfilled', value: {accessToken: 'at.2'}});
	});

	it('a refresh commit never answered: later refreshes work once its bound has passed', async () => {
		const world = lossyStore();
		const session = createAuthSession({store: world.store, refresh, refreshTimeout: 200});
		await settle(session.signIn({accessToken: 'at.0', refreshToken: 'rt.0', expiresIn: 3600}));
		world.loseNextWrites();
		await settle(session.refresh(), 31_000);
		expect(await settle(session.refresh())).toMatchObject({status: 'fulfilled'});
	});

	it('another holder\'s sign-out still reaches a holder whose sign-in write was never answered', async () => {
		const world = lossyStore();
		const a = createAuthSession({store: world.store, refresh, refreshTimeout: 200});
		const b = createAuthSession({store: world.store, refresh, refreshTimeout: 200});
		world.loseNextWrites();
		await settle(a.signIn({accessToken: 'at.0', refreshToken: 'rt.0', expiresIn: 3600}));
		await settle(b.signOut());
		expect(a.getSnapshot().status).toBe('signedOut');
		await settle(b.signIn({accessToken: 'bob.0', refreshToken: 'bob-rt.0', expiresIn: 3600}));
		expect(await settle(a.getAccessToken())).toEqual({status: 'fulfilled', value: 'bob.0'});
	});

	it('a write-again inside the shared lock never answered: a dispose lets the lock go, and the other holder refreshes', async () => {
		const world = lossyStore();
		const a = createAuthSession({store: world.store, refresh, refreshTimeout: 200});
		const b = createAuthSession({store: world.store, refresh, refreshTimeout: 200});
		world.refuseNextSet();
		await settle(a.signIn({accessToken: 'at.0', refreshToken: 'rt.0', expiresIn: 3600}));
		world.loseAllWrites();
		// B's sign-out is a change report: A writes its sign-in again, inside the lock, and is never answered.
		void b.signOut().catch(() => undefined);
		await vi.advanceTimersByTimeAsync(10);
		a.dispose();
		world.loseNextWrites(0);
		await settle(b.signIn({accessToken: 'bob.0', refreshToken: 'bob-rt.0', expiresIn: 3600}));
		expect(await settle(b.refresh())).toMatchObject({status: 'fulfilled', value: {accessToken: expect.stringMatching(/^at\./) as unknown}});
	});

	it('a holder that is disposed while its refresh waits inside the lock lets the lock go at once', async () => {
		const world = lossyStore();
		const a = createAuthSession({store: world.store, refresh, refreshTimeout: 1000});
		const b = createAuthSession({store: world.store, refresh, refreshTimeout: 300});
		world.loseNextWrites();
		void a.signIn({accessToken: 'at.0', refreshToken: 'rt.0', expiresIn: 3600}).catch(() => undefined);
		const aRefresh = a.refresh();
		await vi.advanceTimersByTimeAsync(10);
		a.dispose();
		expect(await settle(aRefresh, 10)).toEqual({status: 'fulfilled', value: null});
		expect(await settle(b.refresh(), 300)).toMatchObject({status: 'fulfilled'});
	});
});
