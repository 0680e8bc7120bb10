import {afterEach, describe, expect, it} from 'vitest';
import {autoRefresh, createAuthFetch, createAuthSession, type AuthSession, type RefreshFunction} from '../../src/index.js';

/** The page's visibility, as a real tab switch reports it (headless Chromium never hides the page by itself). */
function setVisibility(state: 'visible' | 'hidden'): void {
	Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => state});
	document.dispatchEvent(new Event('visibilitychange'));
}

/** A clock the test moves: the laptop's wall clock, jumping when it wakes. */
function wallClock(): {now: () => number; jump: (ms: number) => void} {
	let offset = 0;
	return {now: () => Date.now() + offset, jump: ms => {
		offset += ms;
	}};
}

/** Lets the page run what it queued (promise reactions and zero-delay timers). */
async function turn(): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, 0);
	});
	await new Promise(resolve => {
		setTimeout(resolve, 0);
	});
}

const sessions: AuthSession[] = [];
afterEach(() => {
	for (const session of sessions.splice(0)) {
		session.dispose();
	}
	setVisibility('visible');
});

function start(refresh: RefreshFunction, clock: {now: () => number}): AuthSession {
	const session = createAuthSession({refresh, now: clock.now, autoRefresh, refreshWindow: 60_000});
	sessions.push(session);
	return session;
}

describe('autoRefresh in Chromium: wake, network errors after wake, hidden pages', () => {
	it('a clock jumped hours ahead plus visibilitychange: exactly one refresh, and no expired token is sent', async () => {
		const clock = wallClock();
		let calls = 0;
		const session = start(async () => ({accessToken: `woke-${++calls}`, expiresIn: 3600}), clock);
		await session.signIn({accessToken: 'before-sleep', expiresIn: 3600});
		const sent: Array<string | null> = [];
		const authFetch = createAuthFetch(session, {baseUrl: location.origin, fetch: async input => {
			sent.push(new Request(input).headers.get('authorization'));
			return new Response('ok');
		}});

		clock.jump(5 * 3_600_000);
		setVisibility('hidden');
		setVisibility('visible');
		document.dispatchEvent(new Event('visibilitychange'));
		window.dispatchEvent(new Event('online'));
		await turn();
		expect(calls).toBe(1);
		await authFetch('/data');
		expect(sent).toEqual(['Bearer woke-1']);
		expect(calls).toBe(1);
	});

	it('a network error on the first try after wake: the session is kept and the renewal is retried on the backoff', async () => {
		const clock = wallClock();
		let calls = 0;
		const session = start(async () => {
			calls++;
			if (calls === 1) {
				throw new TypeError('Failed to fetch');
			}
			return {accessToken: 'recovered', expiresIn: 3600};
		}, clock);
		session.addEventListener('refresherror', () => undefined);
		await session.signIn({accessToken: 'before-sleep', expiresIn: 3600});

		clock.jump(3600_000 - 30_000);
		window.dispatchEvent(new Event('pageshow'));
		await turn();
		expect(calls).toBe(1);
		expect(session.getSnapshot().status).toBe('signedIn');

		// Within the backoff (30 s, here capped by the hard expiry 30 s away): catch-up events do not retry.
		clock.jump(10_000);
		window.dispatchEvent(new Event('online'));
		await turn();
		expect(calls).toBe(1);

		clock.jump(21_000);
		window.dispatchEvent(new Event('online'));
		await turn();
		expect(calls).toBe(2);
		expect(await session.getAccessToken()).toBe('recovered');
	});

	it('a hidden page does no work until it becomes visible', async () => {
		const clock = wallClock();
		let calls = 0;
		setVisibility('hidden');
		const session = start(async () => ({accessToken: `a${++calls}`, expiresIn: 3600}), clock);
		await session.signIn({accessToken: 'a0', expiresIn: 3600});
		clock.jump(2 * 3_600_000);
		window.dispatchEvent(new Event('pageshow'));
		window.dispatchEvent(new Event('online'));
		await turn();
		expect(calls).toBe(0);
		setVisibility('visible');
		await turn();
		expect(calls).toBe(1);
	});
});
