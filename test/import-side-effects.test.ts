import {afterEach, describe, expect, it, vi} from 'vitest';

const browserGlobals = ['window', 'document', 'localStorage', 'sessionStorage', 'location', 'indexedDB'] as const;

/**
 * The entry points: the root and each subpath whose peers import cleanly under SSR. `ky-auth/vue` and
 * `ky-auth/svelte` are left out: Vue's runtime-dom and Svelte read `window`/`document` when they are imported,
 * before any ky-auth code runs.
 */
const entries = {
	'ky-auth': async () => import('../src/index.js'),
	'ky-auth/dpop': async () => import('../src/schemes/dpop/index.js'),
	'ky-auth/oauth': async () => import('../src/oauth/index.js'),
	'ky-auth/redis': async () => import('../src/redis/index.js'),
	'ky-auth/react': async () => import('../src/react/index.js'),
} as const;

afterEach(() => {
	vi.restoreAllMocks();
	for (const name of browserGlobals) {
		Reflect.deleteProperty(globalThis, name);
	}
});

describe('importing ky-auth (each entry) has no side effects (SSR-safe)', () => {
	it.each(Object.keys(entries) as Array<keyof typeof entries>)('%s touches no browser global and starts no timer at import time', async entry => {
		const touched: string[] = [];
		for (const name of browserGlobals) {
			Object.defineProperty(globalThis, name, {
				configurable: true,
				get() {
					touched.push(name);
					throw new Error(`${name} touched at import time`);
				},
			});
		}
		const timers = vi.spyOn(globalThis, 'setTimeout');
		const intervals = vi.spyOn(globalThis, 'setInterval');
		vi.resetModules();
		const module: object = await entries[entry]();
		expect(Object.keys(module).length).toBeGreaterThan(0);
		expect(touched).toEqual([]);
		expect(timers).not.toHaveBeenCalled();
		expect(intervals).not.toHaveBeenCalled();
	});
});
