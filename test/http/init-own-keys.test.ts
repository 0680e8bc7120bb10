import {describe, expect, it} from 'vitest';
import {createAuthFetch, createAuthSession} from '../../src/index.js';

describe('createAuthFetch copies extra init fields as data', () => {
	it('an own "__proto__" key (from JSON.parse) stays a key and never becomes the prototype of the init it passes on', async () => {
		const received: Array<RequestInit | undefined> = [];
		const authFetch = createAuthFetch(createAuthSession(), {
			baseUrl: 'https://api.example.test',
			fetch: async (_input, init) => {
				received.push(init);
				return new Response('ok');
			},
		});
		const init = JSON.parse('{"__proto__": {"polluted": true}, "dispatcher": "d"}') as RequestInit;
		await authFetch('https://api.example.test/x', init);
		const passed = received[0] as Record<string, unknown>;
		expect(Object.getPrototypeOf(passed)).toBe(Object.prototype);
		expect(passed.polluted).toBeUndefined();
		expect(Object.hasOwn(passed, '__proto__')).toBe(true);
		expect(passed.dispatcher).toBe('d');
	});
});
