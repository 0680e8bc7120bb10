import {afterEach, describe, expect, it, vi} from 'vitest';

const browserGlobals = ['window', 'document', 'localStorage', 'sessionStorage', 'location'] as const;

afterEach(() => {
	vi.restoreAllMocks();
	for (const name of browserGlobals) {
		Reflect.deleteProperty(globalThis, name);
	}
});

describe('importing ky-auth has no side effects (SSR-safe)', () => {
	it('touches no browser global and starts no timer at import time', async () => {
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
		const module = await import('../src/index.js');
		expect(typeof module.createAuthSession).toBe('function');
		expect(touched).toEqual([]);
		expect(timers).not.toHaveBeenCalled();
		expect(intervals).not.toHaveBeenCalled();
	});
});
