/**
 * Issue 18, first-hour frictions: key-value objects passed as a store are refused when the session is made, with a
 * hint, instead of failing at the first request; a `subscribe()` that returns no unsubscribe function is refused
 * too (dispose() used to throw "this[#unsubscribe] is not a function").
 */
import {describe, expect, it} from 'vitest';
import {createAuthSession, createMachineSession, memoryStore, type TokenStore} from '../../src/index.js';

/** The shape of an ioredis client as far as the check can see (get/set of keys, duplicate, call). */
function redisLike(): Record<string, unknown> {
	return {get: async (_key: string) => null, set: async (_key: string, _value: string) => 'OK', duplicate: () => redisLike(), call: async () => null};
}

describe('a store that is not a TokenStore', () => {
	it('a Redis client is refused with a hint to wrap it with redisStore', () => {
		expect(() => createAuthSession({store: redisLike() as unknown as TokenStore})).toThrow(/createAuthSession: options\.store: expected a TokenStore \(a Redis client .*redisStore\(\{ client, key \}\) from 'ky-auth\/redis'\)/);
		expect(() => createMachineSession({store: redisLike() as unknown as TokenStore, refresh: async () => ({accessToken: 'm'})})).toThrow(TypeError);
	});

	it('a Map is refused with a hint to use memoryStore', () => {
		expect(() => createAuthSession({store: new Map() as unknown as TokenStore})).toThrow(/a Map takes keys: use memoryStore\(\).*got an instance of Map/);
	});

	it('a subscribe() that returns no function is refused when the session is made; dispose() never throws', () => {
		const store: TokenStore = {...memoryStore(), subscribe: (() => 'nope') as unknown as TokenStore['subscribe']};
		expect(() => createAuthSession({store})).toThrow(/TokenStore\.subscribe: expected it to return a function that unsubscribes, got a string/);
		const fine = createAuthSession({store: {...memoryStore(), subscribe: () => () => undefined}});
		expect(() => {
			fine.dispose();
		}).not.toThrow();
	});
});
