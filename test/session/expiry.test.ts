import {afterEach, describe, expect, it, vi} from 'vitest';
import {createAuthSession, memoryStore, type RefreshFunction} from '../../src/index.js';
import {deferred, flush} from '../helpers/deferred.js';
import {base64url, jwt} from '../helpers/jwt.js';

function clock(start = 1_000_000) {
	let time = start;
	return {now: () => time, advance: (ms: number) => {
		time += ms;
	}};
}

afterEach(() => {
	vi.useRealTimers();
});

describe('where expiry comes from', () => {
	it('expiresAt wins over expiresIn and the JWT exp', async () => {
		const c = clock();
		const session = createAuthSession({now: c.now});
		await session.signIn({accessToken: jwt({exp: 1, iat: 0}), expiresIn: 10, expiresAt: 5_000_000});
		expect(session.getSnapshot().expiresAt).toBe(5_000_000);
	});

	it('expiresIn is anchored at the moment the tokens arrived', async () => {
		const c = clock();
		const session = createAuthSession({now: c.now});
		await session.signIn({accessToken: 'opaque', expiresIn: 60});
		expect(session.getSnapshot().expiresAt).toBe(1_000_000 + 60_000);
	});

	it('JWT exp with iat is anchored at receipt, so a skewed client clock does not matter', async () => {
		const c = clock(1_000_000);
		const session = createAuthSession({now: c.now});
		// Server clock says iat = 10^9 s: years away from the client clock.
		await session.signIn({accessToken: jwt({iat: 1_000_000_000, exp: 1_000_000_000 + 120})});
		expect(session.getSnapshot().expiresAt).toBe(1_000_000 + 120_000);
	});

	it('JWT exp without iat is taken as absolute', async () => {
		const session = createAuthSession({now: () => 0});
		await session.signIn({accessToken: jwt({exp: 2000})});
		expect(session.getSnapshot().expiresAt).toBe(2_000_000);
	});

	it.each([
		['not a jwt', 'opaque-token'],
		['bad base64', 'a.%%%.c'],
		['payload not JSON', `x.${base64url('nope')}.y`],
		['exp not a number', jwt({exp: 'soon'})],
		['payload is a number', `x.${base64url('42')}.y`],
	])('a malformed JWT (%s) is an opaque token, never a crash', async (_name, token) => {
		const refresh = vi.fn<RefreshFunction>(async () => ({accessToken: 'new'}));
		const c = clock();
		const session = createAuthSession({now: c.now, refresh});
		await session.signIn({accessToken: token});
		expect(session.getSnapshot().expiresAt).toBeNull();
		c.advance(365 * 24 * 3600 * 1000);
		expect(await session.getAccessToken()).toBe(token);
		expect(refresh).not.toHaveBeenCalled();
	});

	it('works with a faked Date and the default clock', async () => {
		vi.useFakeTimers({toFake: ['Date']});
		vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
		const refresh = vi.fn<RefreshFunction>(async () => ({accessToken: 'second', expiresIn: 3600}));
		const session = createAuthSession({refresh});
		await session.signIn({accessToken: 'first', expiresIn: 3600});
		expect(await session.getAccessToken()).toBe('first');
		vi.setSystemTime(new Date('2026-01-01T01:00:01Z'));
		expect(await session.getAccessToken()).toBe('second');
		expect(refresh).toHaveBeenCalledTimes(1);
		expect(refresh.mock.calls[0]?.[0].reason).toBe('expired');
	});
});

describe('proactive refresh inside the window', () => {
	it('sends the still-valid token while exactly one background refresh runs', async () => {
		const c = clock();
		const pending = deferred<{accessToken: string; expiresIn: number}>();
		const refresh = vi.fn<RefreshFunction>(async () => pending.promise);
		const session = createAuthSession({now: c.now, refresh, refreshWindow: 60_000});
		await session.signIn({accessToken: 'old', expiresIn: 600});
		c.advance(600_000 - 30_000);
		const tokens = await Promise.all(Array.from({length: 10}, async () => session.getAccessToken()));
		expect(tokens).toEqual(Array.from({length: 10}, () => 'old'));
		await flush();
		expect(refresh).toHaveBeenCalledTimes(1);
		expect(refresh.mock.calls[0]?.[0].reason).toBe('expiring');
		expect(session.getSnapshot().status).toBe('refreshing');
		pending.resolve({accessToken: 'new', expiresIn: 600});
		await flush();
		expect(await session.getAccessToken()).toBe('new');
		expect(session.getSnapshot().status).toBe('signedIn');
	});

	it('refreshWindow: 0 (the Workers recipe, docs/recipes/workers.md) starts no background refresh: the request that finds the token expired refreshes and waits', async () => {
		const c = clock();
		const refresh = vi.fn<RefreshFunction>(async () => ({accessToken: 'new', expiresIn: 600}));
		const session = createAuthSession({now: c.now, refresh, refreshWindow: 0});
		await session.signIn({accessToken: 'old', expiresIn: 600});
		c.advance(600_000 - 1);
		expect(await session.getAccessToken()).toBe('old');
		await flush();
		expect(refresh).not.toHaveBeenCalled();
		c.advance(1);
		expect(await session.getAccessToken()).toBe('new');
		expect(refresh).toHaveBeenCalledTimes(1);
		expect(refresh.mock.calls[0]?.[0].reason).toBe('expired');
	});

	it('caps the window at half the lifetime, so short tokens are not refreshed on every request', async () => {
		const c = clock();
		const refresh = vi.fn<RefreshFunction>(async () => ({accessToken: 'next', expiresIn: 10}));
		const session = createAuthSession({now: c.now, refresh, refreshWindow: 60_000});
		await session.signIn({accessToken: 'short', expiresIn: 10});
		c.advance(4000);
		await session.getAccessToken();
		await flush();
		expect(refresh).not.toHaveBeenCalled();
		c.advance(1500);
		await session.getAccessToken();
		await flush();
		expect(refresh).toHaveBeenCalledTimes(1);
	});

	it('an expired token is never sent: requests wait for the refresh', async () => {
		const c = clock();
		const pending = deferred<{accessToken: string}>();
		const refresh = vi.fn<RefreshFunction>(async () => pending.promise);
		const session = createAuthSession({now: c.now, refresh});
		await session.signIn({accessToken: 'old', expiresIn: 60});
		c.advance(61_000);
		const waiting = Promise.all([session.getAccessToken(), session.getAccessToken()]);
		await flush();
		pending.resolve({accessToken: 'new'});
		expect(await waiting).toEqual(['new', 'new']);
		expect(refresh).toHaveBeenCalledTimes(1);
		expect(refresh.mock.calls[0]?.[0]).toMatchObject({reason: 'expired', tokens: {accessToken: 'old'}});
	});

	it('a failed background refresh keeps the token and pauses background attempts for a while', async () => {
		const c = clock();
		const refresh = vi.fn<RefreshFunction>(async () => {
			throw new Error('token endpoint down');
		});
		const session = createAuthSession({now: c.now, refresh, refreshWindow: 60_000});
		const errors: unknown[] = [];
		session.addEventListener('refresherror', event => errors.push((event as CustomEvent).detail));
		await session.signIn({accessToken: 'old', expiresIn: 600});
		c.advance(560_000);
		expect(await session.getAccessToken()).toBe('old');
		await flush();
		expect(errors).toHaveLength(1);
		expect(await session.getAccessToken()).toBe('old');
		expect(refresh).toHaveBeenCalledTimes(1);
		c.advance(6000);
		await session.getAccessToken();
		await flush();
		expect(refresh).toHaveBeenCalledTimes(2);
	});
});

describe('store contents', () => {
	it('stores the normalised token set (absolute expiresAt, refresh token kept when a refresh omits it)', async () => {
		const c = clock();
		const store = memoryStore();
		const session = createAuthSession({store, now: c.now, refresh: async () => ({accessToken: 'b', expiresIn: 100})});
		await session.signIn({accessToken: 'a', refreshToken: 'r', expiresIn: 100, scope: 's'});
		expect(store.get()).toMatchObject({generation: 0, tokens: {accessToken: 'a', refreshToken: 'r', expiresAt: 1_100_000, scope: 's'}});
		await session.refresh();
		expect(store.get()).toMatchObject({generation: 1, tokens: {accessToken: 'b', refreshToken: 'r', expiresAt: 1_100_000}});
	});
});

describe('no refresh loop from a refresh result that is already expired', () => {
	it('an expiry in the past on fresh tokens is dropped: the token is used and refreshed only on a 401', async () => {
		let time = 1_000_000;
		const refresh = vi.fn(async () => ({accessToken: 'new', expiresAt: 5}));
		const session = createAuthSession({now: () => time, refresh});
		await session.signIn({accessToken: 'old', expiresIn: 10});
		time += 20_000;
		expect(await session.getAccessToken()).toBe('new');
		expect(await session.getAccessToken()).toBe('new');
		expect(refresh).toHaveBeenCalledTimes(1);
		expect(session.getSnapshot().expiresAt).toBeNull();
	});

	it('an absurd lifetime is treated as no expiry instead of breaking the store', async () => {
		const store = memoryStore();
		const session = createAuthSession({store});
		await session.signIn({accessToken: 'a', expiresIn: 1e306});
		expect(session.getSnapshot()).toMatchObject({status: 'signedIn', expiresAt: null});
		expect(store.get()).toMatchObject({tokens: {accessToken: 'a'}});
	});
});
