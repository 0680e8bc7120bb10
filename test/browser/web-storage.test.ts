import {afterEach, describe, expect, it, vi} from 'vitest';
import {createAuthSession, webStorageStore, type TokenSet} from '../../src/index.js';

const key = 'ky-auth.test';

afterEach(() => {
	localStorage.clear();
	for (const frame of document.querySelectorAll('iframe')) {
		frame.remove();
	}
});

async function otherTab(): Promise<Window> {
	const frame = document.createElement('iframe');
	document.body.append(frame);
	await new Promise(resolve => setTimeout(resolve, 0));
	return frame.contentWindow!;
}

async function until(condition: () => boolean): Promise<void> {
	for (let attempt = 0; attempt < 200 && !condition(); attempt++) {
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

describe('webStorageStore in a real browser', () => {
	it('persists to localStorage, survives a new session (reload), and clears on sign-out', async () => {
		const session = createAuthSession({store: webStorageStore({key})});
		await session.signIn({accessToken: 'persisted', refreshToken: 'r', expiresIn: 600});
		expect(JSON.parse(localStorage.getItem(key)!)).toMatchObject({generation: 0, tokens: {accessToken: 'persisted', refreshToken: 'r'}});
		const reloaded = createAuthSession({store: webStorageStore({key})});
		expect(reloaded.getSnapshot().status).toBe('signedIn');
		expect(await reloaded.getAccessToken()).toBe('persisted');
		await reloaded.signOut();
		expect(localStorage.getItem(key)).toBeNull();
	});

	it('garbage in localStorage reads as signed out', async () => {
		localStorage.setItem(key, '{"accessToken": 42');
		const session = createAuthSession({store: webStorageStore({key})});
		expect(session.getSnapshot().status).toBe('signedOut');
		expect(await session.getAccessToken()).toBeNull();
	});

	it("another tab's sign-in and sign-out arrive through the storage event", async () => {
		const session = createAuthSession({store: webStorageStore({key})});
		const tab = await otherTab();
		tab.localStorage.setItem(key, JSON.stringify({accessToken: 'from-other-tab', expiresAt: Date.now() + 600_000}));
		await until(() => session.getSnapshot().status === 'signedIn');
		expect(await session.getAccessToken()).toBe('from-other-tab');
		const signedOut = vi.fn();
		session.addEventListener('signedout', signedOut);
		tab.localStorage.removeItem(key);
		await until(() => signedOut.mock.calls.length > 0);
		expect(signedOut).toHaveBeenCalledTimes(1);
		expect(await session.getAccessToken()).toBeNull();
	});

	it('two tabs with an expired token spend the rotating refresh token once (Web Locks + check again)', async () => {
		expect(navigator.locks).toBeDefined();
		const spent = new Set<string>();
		let calls = 0;
		const refresh = async ({tokens}: {tokens: TokenSet | null}) => {
			calls++;
			if (spent.has(tokens!.refreshToken!)) {
				throw new Error('reuse detected: family revoked');
			}
			spent.add(tokens!.refreshToken!);
			await new Promise(resolve => setTimeout(resolve, 20));
			return {accessToken: `rotated-${calls}`, refreshToken: `r${calls + 1}`, expiresIn: 600};
		};
		let time = Date.now();
		const now = () => time;
		const tabA = createAuthSession({store: webStorageStore({key}), refresh, now});
		await tabA.signIn({accessToken: 'old', refreshToken: 'r1', expiresIn: 60});
		const tabB = createAuthSession({store: webStorageStore({key}), refresh, now});
		time += 61_000;
		const tokens = await Promise.all([tabA.getAccessToken(), tabB.getAccessToken()]);
		expect(tokens).toEqual(['rotated-1', 'rotated-1']);
		expect(calls).toBe(1);
	});

	it('without localStorage it is a clear TypeError, and importing the library touched nothing', async () => {
		expect(() => webStorageStore({key, storage: undefined as unknown as Storage})).not.toThrow();
		expect(() => webStorageStore({key: ''})).toThrow(/key: expected a non-empty string/);
	});
});
