import {Redis} from 'ioredis';
import {createClient} from 'redis';
import {describe, expect, it} from 'vitest';
import {redisKey, redisStore, RedisStoreError, type RedisStoreOptions} from '../../src/redis/index.js';

// Neither client connects here: ioredis with lazyConnect, node-redis before connect().
const ioredis = new Redis({lazyConnect: true});
const nodeRedis = createClient();

describe('redisStore options', () => {
	it('accepts an ioredis client and a node-redis client, and nothing else, saying what it got', () => {
		expect(() => redisStore({client: ioredis, key: 'k'})).not.toThrow();
		expect(() => redisStore({client: nodeRedis, key: 'k'})).not.toThrow();
		expect(() => redisStore({client: {} as never, key: 'k'})).toThrow(new TypeError(
			'redisStore: options.client: expected an ioredis client (new Redis(), new Cluster()) or a node-redis client (createClient(), createCluster()), got an object'));
		expect(() => redisStore({client: 'redis://localhost' as never, key: 'k'})).toThrow(/options\.client: expected an ioredis client .*, got a string \("redis:\/\/localhost"\)/);
		expect(() => redisStore(undefined as never)).toThrow('redisStore: options: expected an object with a "client" and a "key", got undefined');
	});

	it.each<[string, Partial<RedisStoreOptions>, RegExp]>([
		['a missing key', {key: undefined as never}, /options\.key: expected a non-empty string without braces \(the store adds the hash tag\), got undefined/],
		['an empty key', {key: ''}, /options\.key: expected a non-empty string without braces/],
		['a key with braces', {key: 'a{b}'}, /options\.key: expected a non-empty string without braces .*, got a string \("a\{b\}"\)/],
		['a prefix with braces', {prefix: '{app}:'}, /options\.prefix: expected a string without braces/],
		['a fractional lockTtl', {lockTtl: 1.5}, /options\.lockTtl: expected a whole number of milliseconds above 0 and at most 2147483647, got a number \(1\.5\)/],
		['a zero pollInterval', {pollInterval: 0}, /options\.pollInterval: expected a number of milliseconds above 0/],
		['an infinite commandTimeout', {commandTimeout: Infinity}, /options\.commandTimeout: expected a number of milliseconds above 0 and at most 2147483647, got/],
	])('rejects %s with a TypeError naming the option', (_name, options, message) => {
		expect(() => redisStore({client: ioredis, key: 'k', ...options})).toThrow(message);
		expect(() => redisStore({client: ioredis, key: 'k', ...options})).toThrow(TypeError);
	});

	it('keeps lockTtl at least 3 × commandTimeout, so a renewal of the lock lands before it expires', () => {
		expect(() => redisStore({client: ioredis, key: 'k'})).not.toThrow(); // 15000 and 2000
		expect(() => redisStore({client: ioredis, key: 'k', lockTtl: 6000, commandTimeout: 2000})).not.toThrow();
		expect(() => redisStore({client: ioredis, key: 'k', lockTtl: 5999})).toThrow(new TypeError(
			'redisStore: options.lockTtl: expected at least 3 × options.commandTimeout (6000 ms), so a renewal of the lock lands before it expires, got a number (5999)'));
		expect(() => redisStore({client: ioredis, key: 'k', commandTimeout: 10_000})).toThrow(new TypeError(
			'redisStore: options.lockTtl: expected at least 3 × options.commandTimeout (30000 ms), so a renewal of the lock lands before it expires (the default; set lockTtl, or a shorter commandTimeout), got a number (15000)'));
		expect(() => redisStore({client: ioredis, key: 'k', lockTtl: 900, commandTimeout: 300})).not.toThrow();
	});

	it('rejects a command at once when the node-redis client was never connected, as unavailable, and reports degraded', async () => {
		const store = redisStore({client: nodeRedis, key: 'never-connected', commandTimeout: 60_000, lockTtl: 180_000});
		const degraded: string[] = [];
		store.addEventListener('degraded', event => degraded.push(event.detail.error.code));
		const error = await store.get().catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(RedisStoreError);
		expect(error).toMatchObject({code: 'REDIS_UNAVAILABLE', message: expect.stringMatching(/^Redis is unavailable \(GET ky-auth:\{never-connected\}:record\): /)});
		expect(degraded).toEqual(['REDIS_UNAVAILABLE']);
		expect(store.status).toBe('degraded');
	});

	it('never shows the tokens it failed to write, in the message or the cause', async () => {
		const store = redisStore({client: nodeRedis, key: 'never-connected'});
		const error = await store.set({id: 'x', generation: 0, tokens: {accessToken: 'secret-access', refreshToken: 'secret-refresh'}}).catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(RedisStoreError);
		const shown = JSON.stringify(error, Object.getOwnPropertyNames(error instanceof Error ? error : {})) + String(error) + String((error as Error).cause);
		expect(shown).not.toMatch(/secret-/);
	});
});

describe('redisKey', () => {
	it('names one credential: endpoint and client, then scope (sorted), audience and subject when given, URI-encoded', () => {
		expect(redisKey({tokenEndpoint: 'https://auth.example.com/oauth/token', clientId: 'orders'}))
			.toBe('https%3A%2F%2Fauth.example.com%2Foauth%2Ftoken|orders');
		expect(redisKey({tokenEndpoint: new URL('https://AUTH.example.com:443/oauth/token'), clientId: 'orders', scope: 'write  read', audience: 'https://api', subject: 'user{1}|x'}))
			.toBe('https%3A%2F%2Fauth.example.com%2Foauth%2Ftoken|orders|scope=read%20write|aud=https%3A%2F%2Fapi|sub=user%7B1%7D%7Cx');
	});

	it('gives the same key for the same scope in any order, and different keys for different credentials', () => {
		const base = {tokenEndpoint: 'https://auth.example.com/t', clientId: 'c'};
		expect(redisKey({...base, scope: 'a b'})).toBe(redisKey({...base, scope: 'b a'}));
		const keys = new Set([
			redisKey(base),
			redisKey({...base, clientId: 'd'}),
			redisKey({...base, tokenEndpoint: 'https://auth.example.com/u'}),
			redisKey({...base, scope: 'a'}),
			redisKey({...base, audience: 'a'}),
			redisKey({...base, subject: 'a'}),
		]);
		expect(keys.size).toBe(6);
	});

	it('makes keys redisStore accepts (no braces)', () => {
		expect(() => redisStore({client: ioredis, key: redisKey({tokenEndpoint: 'https://a/{x}', clientId: '{c}', subject: '}'})})).not.toThrow();
	});

	it('rejects what is not a credential, saying what it got', () => {
		expect(() => redisKey({tokenEndpoint: '/oauth/token', clientId: 'c'})).toThrow('redisKey: tokenEndpoint: expected an absolute URL, got a string ("/oauth/token")');
		expect(() => redisKey({tokenEndpoint: 'https://a/t', clientId: ''})).toThrow('redisKey: clientId: expected a non-empty string, got a string ("")');
		expect(() => redisKey({tokenEndpoint: 'https://a/t', clientId: 'c', scope: 5 as never})).toThrow('redisKey: scope: expected a string or undefined, got a number (5)');
	});
});
