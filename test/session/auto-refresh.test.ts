import {afterEach, describe, expect, it, vi} from 'vitest';
import {autoRefresh, createAuthSession, type RefreshFunction} from '../../src/index.js';

afterEach(() => {
	vi.useRealTimers();
});

/** A refresh that counts its calls and issues `a1`, `a2`, … living `lifetime` seconds. */
function counting(lifetime = 600): RefreshFunction & {calls: number} {
	const refresh = Object.assign(async () => {
		refresh.calls++;
		return {accessToken: `a${refresh.calls}`, expiresIn: lifetime};
	}, {calls: 0});
	return refresh;
}

async function settle(): Promise<void> {
	await vi.advanceTimersByTimeAsync(0);
}

describe('autoRefresh (Node, fake timers and clock)', () => {
	it('renews when the refresh window opens, with no request asking', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'Date']});
		const refresh = counting();
		const session = createAuthSession({refresh, autoRefresh, refreshWindow: 60_000});
		await session.signIn({accessToken: 'a0', expiresIn: 600});
		await vi.advanceTimersByTimeAsync(539_000);
		expect(refresh.calls).toBe(0);
		await vi.advanceTimersByTimeAsync(2000);
		expect(refresh.calls).toBe(1);
		expect(await session.getAccessToken()).toBe('a1');
		session.dispose();
	});

	it('looks at the wall clock at least every 30 s: after a sleep of hours it renews within one step, once', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'Date']});
		const refresh = counting();
		const session = createAuthSession({refresh, autoRefresh, refreshWindow: 60_000});
		await session.signIn({accessToken: 'a0', expiresIn: 600});
		// The machine sleeps: the wall clock jumps 3 h while no timer runs.
		vi.setSystemTime(Date.now() + (3 * 3_600_000));
		await vi.advanceTimersByTimeAsync(30_000);
		expect(refresh.calls).toBe(1);
		await vi.advanceTimersByTimeAsync(60_000);
		expect(refresh.calls).toBe(1);
		session.dispose();
	});

	it('backs off after a failure (30 s, doubling, never past the hard expiry) without signing out, and dispose() stops it', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'Date']});
		let calls = 0;
		const session = createAuthSession({
			autoRefresh,
			refreshWindow: 60_000,
			refresh: async () => {
				calls++;
				if (calls <= 2) {
					throw new TypeError('fetch failed');
				}
				return {accessToken: 'fresh', expiresIn: 3600};
			},
		});
		session.addEventListener('refresherror', () => undefined);
		await session.signIn({accessToken: 'a0', expiresIn: 3600});
		// The window is capped at half the lifetime: 60 s before expiry.
		await vi.advanceTimersByTimeAsync(3_540_000);
		expect(calls).toBe(1);
		expect(session.getSnapshot().status).toBe('signedIn');
		await vi.advanceTimersByTimeAsync(29_000);
		expect(calls).toBe(1);
		await vi.advanceTimersByTimeAsync(1000);
		expect(calls).toBe(2);
		// The next wait would be 60 s, but never past the hard expiry: 30 s left.
		await vi.advanceTimersByTimeAsync(29_000);
		expect(calls).toBe(2);
		await vi.advanceTimersByTimeAsync(1000);
		expect(calls).toBe(3);
		expect(await session.getAccessToken()).toBe('fresh');
		session.dispose();
		await vi.advanceTimersByTimeAsync(4 * 3_600_000);
		await settle();
		expect(calls).toBe(3);
	});

	it('doubles the wait after each failure while the expiry is far', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'Date']});
		let calls = 0;
		const session = createAuthSession({autoRefresh, refreshWindow: 600_000, refresh: async () => {
			calls++;
			throw new TypeError('fetch failed');
		}});
		session.addEventListener('refresherror', () => undefined);
		await session.signIn({accessToken: 'a0', expiresIn: 7200});
		await vi.advanceTimersByTimeAsync(6_600_000);
		expect(calls).toBe(1);
		const waits: number[] = [];
		for (let attempt = 0; attempt < 4; attempt++) {
			let waited = 0;
			while (calls === attempt + 1) {
				await vi.advanceTimersByTimeAsync(1000);
				waited += 1000;
			}
			waits.push(waited);
		}
		expect(waits).toEqual([30_000, 60_000, 120_000, 240_000]);
		expect(session.getSnapshot().status).toBe('signedIn');
		session.dispose();
	});

	it('is off by default: nothing runs without a request', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'Date']});
		const refresh = counting();
		const session = createAuthSession({refresh});
		await session.signIn({accessToken: 'a0', expiresIn: 600});
		await vi.advanceTimersByTimeAsync(3_600_000);
		expect(refresh.calls).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('takes the autoRefresh export or false, and refuses anything else with a TypeError naming the export', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'Date']});
		// `true` was the option in ky-auth 0.1: refused, never taken for "off".
		// @ts-expect-error autoRefresh is the export, not a boolean
		expect(() => createAuthSession({autoRefresh: true})).toThrow(/options\.autoRefresh: expected the autoRefresh export \(import \{ autoRefresh \} from 'ky-auth'.*, got a boolean \(true\)/);
		// @ts-expect-error a string is not the export
		expect(() => createAuthSession({autoRefresh: 'yes'})).toThrow(TypeError);
		// A function (what a reader of `autoRefresh: true` might try next) is not the export either.
		// @ts-expect-error a function is not the export
		expect(() => createAuthSession({autoRefresh: () => true})).toThrow(/options\.autoRefresh: expected the autoRefresh export/);
		// @ts-expect-error an object without start() is not the export
		expect(() => createAuthSession({autoRefresh: {kind: 'autoRefresh'}})).toThrow(/options\.autoRefresh: expected the autoRefresh export/);
		const refresh = counting();
		const off = createAuthSession({refresh, autoRefresh: false});
		await off.signIn({accessToken: 'a0', expiresIn: 600});
		await vi.advanceTimersByTimeAsync(3_600_000);
		expect(refresh.calls).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});
});

describe('autoRefresh and page visibility (a stand-in document, fake timers)', () => {
	it('a catch-up throttled right after a renewal that ended while hidden still restarts the timer', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'Date']});
		const page = Object.assign(new EventTarget(), {visibilityState: 'visible'});
		vi.stubGlobal('document', page);
		try {
			const show = (state: 'visible' | 'hidden'): void => {
				page.visibilityState = state;
				page.dispatchEvent(new Event('visibilitychange'));
			};
			let release: (() => void) | undefined;
			let calls = 0;
			const session = createAuthSession({
				autoRefresh,
				refreshWindow: 60_000,
				refresh: async () => {
					calls++;
					await new Promise<void>(resolve => {
						release = resolve;
					});
					return {accessToken: `a${calls}`, expiresIn: 600};
				},
			});
			await session.signIn({accessToken: 'a0', expiresIn: 600});
			show('hidden');
			vi.setSystemTime(Date.now() + 3_600_000);
			show('visible');
			await settle();
			expect(calls).toBe(1);
			show('hidden');
			release!();
			await settle();
			// Back within 5 s: the catch-up is throttled, but the timer for the next renewal runs again.
			show('visible');
			await vi.advanceTimersByTimeAsync(541_000);
			expect(calls).toBe(2);
			release!();
			session.dispose();
		} finally {
			vi.unstubAllGlobals();
		}
	});
});
