import {describe, expect, it, vi} from 'vitest';
import {createAuthClient, createAuthSession, memoryStore, StoreError, webStorageStore, type TokenRecord, type TokenSet, type TokenStore} from '../../src/index.js';
import {deferred, flush} from '../helpers/deferred.js';

/** A Web Storage stand-in for Node (the real one is tested in Chromium). */
function fakeStorage(initial: Record<string, string> = {}): Storage {
	const map = new Map(Object.entries(initial));
	return {
		get length() {
			return map.size;
		},
		clear: () => map.clear(),
		getItem: key => map.get(key) ?? null,
		key: index => [...map.keys()][index] ?? null,
		removeItem: key => map.delete(key),
		setItem: (key, value) => map.set(key, String(value)),
	};
}

describe('garbage in storage reads as signed out, without a crash', () => {
	it.each([
		['invalid JSON', '{not json'],
		['a number', '42'],
		['null', 'null'],
		['wrong shape', JSON.stringify({access_token: 'x'})],
		['empty access token', JSON.stringify({accessToken: ''})],
		['bad expiresAt', JSON.stringify({accessToken: 'a', expiresAt: 'tomorrow'})],
	])('%s', async (_name, raw) => {
		const session = createAuthSession({store: webStorageStore({key: 'auth', storage: fakeStorage({auth: raw})})});
		expect(session.getSnapshot()).toMatchObject({status: 'signedOut', ready: true});
		expect(await session.getAccessToken()).toBeNull();
	});

	it('valid stored tokens are picked up synchronously at creation', async () => {
		const storage = fakeStorage({auth: JSON.stringify({accessToken: 'stored', expiresAt: Date.now() + 600_000})});
		const session = createAuthSession({store: webStorageStore({key: 'auth', storage})});
		expect(session.getSnapshot().status).toBe('signedIn');
		expect(await session.getAccessToken()).toBe('stored');
	});

	it('signIn / signOut write and clear web storage', async () => {
		const storage = fakeStorage();
		const session = createAuthSession({store: webStorageStore({key: 'auth', storage})});
		await session.signIn({accessToken: 'a', expiresIn: 10});
		expect(JSON.parse(storage.getItem('auth')!)).toMatchObject({generation: 0, tokens: {accessToken: 'a'}});
		await session.signOut();
		expect(storage.getItem('auth')).toBeNull();
	});
});

describe('a store that throws surfaces as an error on the request, never a hang', () => {
	it('a throwing get() rejects the request with StoreError and the next request reads again', async () => {
		let fail = true;
		const store: TokenStore = {
			get() {
				if (fail) {
					throw new Error('disk on fire');
				}
				return {accessToken: 'late'};
			},
			set() {},
		};
		const session = createAuthSession({store});
		const error = await session.getAccessToken().catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(StoreError);
		expect((error as StoreError).code).toBe('STORE_READ_FAILED');
		expect((error as Error).cause).toMatchObject({message: 'disk on fire'});
		fail = false;
		expect(await session.getAccessToken()).toBe('late');
	});

	it('a rejecting async get() rejects client requests with StoreError', async () => {
		const session = createAuthSession({store: {get: async () => Promise.reject(new Error('nope')), set() {}}});
		const client = createAuthClient(session, {baseUrl: 'https://api.example.test', retry: 3});
		await expect(client.get('x')).rejects.toBeInstanceOf(StoreError);
	});

	it('a throwing set() on signIn rejects with STORE_WRITE_FAILED; on refresh it fires storeerror and keeps the new tokens', async () => {
		const failing: TokenStore = {get: () => null, set: () => {
			throw new Error('quota');
		}};
		const session = createAuthSession({store: failing, refresh: async () => ({accessToken: 'b'})});
		await expect(session.signIn({accessToken: 'a'})).rejects.toMatchObject({code: 'STORE_WRITE_FAILED'});
		const storeErrors: unknown[] = [];
		session.addEventListener('storeerror', event => storeErrors.push((event as CustomEvent).detail));
		await session.refresh();
		expect(storeErrors).toHaveLength(1);
		expect(await session.getAccessToken()).toBe('b');
	});

	it('an async store is awaited once; getSnapshot is ready only after it', async () => {
		const read = deferred<TokenSet | null>();
		const get = vi.fn(async () => read.promise);
		const session = createAuthSession({store: {get, set() {}}});
		expect(session.getSnapshot().ready).toBe(false);
		const tokens = Promise.all([session.getAccessToken(), session.getAccessToken()]);
		read.resolve({accessToken: 'async'});
		expect(await tokens).toEqual(['async', 'async']);
		expect(get).toHaveBeenCalledTimes(1);
		expect(session.getSnapshot()).toMatchObject({ready: true, status: 'signedIn'});
	});
});

describe('sessions sharing a store (tabs, workers)', () => {
	it("one session's sign-out and refresh reach the other through subscribe", async () => {
		const store = memoryStore();
		const a = createAuthSession({store});
		const b = createAuthSession({store});
		await a.signIn({accessToken: 'shared'});
		await flush();
		expect(await b.getAccessToken()).toBe('shared');
		const signedOut = vi.fn();
		b.addEventListener('signedout', signedOut);
		await a.signOut();
		await flush();
		expect(await b.getAccessToken()).toBeNull();
		expect(signedOut).toHaveBeenCalledTimes(1);
	});

	it('check → lock → check again: the second session adopts the tokens the first refreshed instead of spending the refresh token again', async () => {
		let time = 0;
		const now = () => time;
		let holder: Promise<void> = Promise.resolve();
		const lock: TokenStore['lock'] = async task => {
			const previous = holder;
			let release!: () => void;
			holder = new Promise(resolve => {
				release = resolve;
			});
			await previous;
			try {
				return await task();
			} finally {
				release();
			}
		};
		let value: TokenRecord | null = null;
		const store: TokenStore = {get: () => value, set(record) {
			value = record;
		}, lock};
		const spent = new Set<string>();
		const refresh = vi.fn(async ({tokens}: {tokens: TokenSet | null}) => {
			if (spent.has(tokens!.refreshToken!)) {
				throw new Error('refresh token reuse detected');
			}
			spent.add(tokens!.refreshToken!);
			await flush();
			return {accessToken: 'rotated', refreshToken: 'r2', expiresIn: 600};
		});
		const tabA = createAuthSession({store, refresh, now});
		await tabA.signIn({accessToken: 'old', refreshToken: 'r1', expiresIn: 60});
		const tabB = createAuthSession({store, refresh, now});
		expect(await tabB.getAccessToken()).toBe('old');
		time = 61_000;
		expect(await Promise.all([tabA.getAccessToken(), tabB.getAccessToken()])).toEqual(['rotated', 'rotated']);
		expect(refresh).toHaveBeenCalledTimes(1);
	});
});

describe('snapshot and events', () => {
	it('keeps the same identity until something changes, and notifies subscribers on change', async () => {
		const session = createAuthSession({refresh: async () => ({accessToken: 'b', expiresIn: 60})});
		const first = session.getSnapshot();
		expect(session.getSnapshot()).toBe(first);
		expect(Object.isFrozen(first)).toBe(true);
		const listener = vi.fn();
		const unsubscribe = session.subscribe(listener);
		await session.signIn({accessToken: 'a', expiresIn: 60});
		const signedIn = session.getSnapshot();
		expect(signedIn).not.toBe(first);
		expect(signedIn.status).toBe('signedIn');
		await session.getAccessToken();
		expect(session.getSnapshot()).toBe(signedIn);
		const statuses: string[] = [];
		session.subscribe(() => statuses.push(session.getSnapshot().status));
		await session.refresh();
		expect(statuses.filter((status, index) => status !== statuses[index - 1])).toEqual(['refreshing', 'signedIn']);
		unsubscribe();
		const calls = listener.mock.calls.length;
		await session.signOut();
		expect(listener.mock.calls.length).toBe(calls);
	});

	it('getSnapshot and subscribe work detached (useSyncExternalStore(session.subscribe, session.getSnapshot))', async () => {
		const session = createAuthSession();
		const {getSnapshot, subscribe} = session;
		const listener = vi.fn();
		const unsubscribe = subscribe(listener);
		await session.signIn({accessToken: 'a'});
		expect(getSnapshot().status).toBe('signedIn');
		expect(listener).toHaveBeenCalled();
		unsubscribe();
	});

	it('a manual refresh that returns null while signed out fires no signedout', async () => {
		const session = createAuthSession({refresh: async () => null});
		const signedOut = vi.fn();
		session.addEventListener('signedout', signedOut);
		expect(await session.refresh()).toBeNull();
		expect(signedOut).not.toHaveBeenCalled();
	});

	it('dispatches refresh, signedin and signedout events', async () => {
		const session = createAuthSession({refresh: async () => ({accessToken: 'b'})});
		const events: string[] = [];
		for (const type of ['refresh', 'signedin', 'signedout', 'refresherror'] as const) {
			session.addEventListener(type, () => events.push(type));
		}
		await session.signIn({accessToken: 'a'});
		await session.refresh();
		await session.signOut();
		await session.signOut();
		expect(events).toEqual(['signedin', 'refresh', 'signedout']);
	});

	it('refresh() without a refresh function rejects with REFRESH_UNAVAILABLE', async () => {
		await expect(createAuthSession().refresh()).rejects.toMatchObject({code: 'REFRESH_UNAVAILABLE'});
	});

	it('an expired token with no refresh function ends requests with SESSION_ENDED instead of sending it', async () => {
		let time = 0;
		const session = createAuthSession({now: () => time});
		await session.signIn({accessToken: 'a', expiresIn: 1});
		time = 2000;
		expect(await session.getAccessToken()).toBeNull();
		const error = await createAuthClient(session, {baseUrl: 'https://api.example.test'}).get('x').catch((error_: unknown) => error_);
		expect(error).toMatchObject({name: 'AuthenticationError', code: 'SESSION_ENDED'});
	});
});

describe('a store that never answers', () => {
	it('fails the request with StoreError at the refresh timeout instead of hanging, and a caller abort ends the wait at once', async () => {
		const session = createAuthSession({store: {get: async () => new Promise<TokenSet | null>(() => undefined), set() {}}, refreshTimeout: 50});
		const controller = new AbortController();
		const aborted = session.getAccessToken({signal: controller.signal}).catch((error: unknown) => error);
		const reason = new Error('gone');
		controller.abort(reason);
		expect(await aborted).toBe(reason);
		const error = await session.getAccessToken().catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(StoreError);
		expect((error as StoreError).cause).toMatchObject({message: 'no answer within 50 ms'});
	});
});

describe('memoryStore subscriptions', () => {
	it('the same function subscribed twice is two subscriptions: one unsubscribe leaves the other', () => {
		const store = memoryStore();
		let calls = 0;
		const listener = (): void => {
			calls++;
		};
		const first = store.subscribe!(listener);
		store.subscribe!(listener);
		first();
		void store.set(null);
		expect(calls).toBe(1);
	});
});
