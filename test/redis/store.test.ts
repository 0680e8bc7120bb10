import {afterAll, beforeAll, describe, expect, it, onTestFinished} from 'vitest';
import type {TokenRecord} from '../../src/index.js';
import {redisStore, type RedisStoreOptions, type RedisTokenStore} from '../../src/redis/index.js';
import {deferred, flush} from '../helpers/deferred.js';
import {flavours, type TestClient} from './clients.js';
import {RedisServer, redisMissing} from './redis-server.js';

let server: RedisServer;
let keys = 0;
/** A key no other test uses. */
const freshKey = (): string => `store-test-${++keys}`;

const record = (id: string, generation: number): TokenRecord => ({
	id,
	generation,
	tokens: {accessToken: `access-${id}-${generation}`, refreshToken: `refresh-${id}-${generation}`, expiresAt: 1_900_000_000_000},
});

/** Collects uncaught exceptions for the rest of the test (and keeps them from failing the run). */
function catchUncaught(): unknown[] {
	const caught: unknown[] = [];
	const onUncaught = (error: unknown): void => {
		caught.push(error);
	};
	process.on('uncaughtException', onUncaught);
	onTestFinished(() => {
		process.off('uncaughtException', onUncaught);
	});
	return caught;
}

/** A signal that never aborts. */
const never = new AbortController().signal;

describe.skipIf(redisMissing)(redisMissing ? `redisStore — SKIPPED: ${redisMissing}` : 'redisStore against a real redis-server', () => {
	beforeAll(async () => {
		server = await RedisServer.launch();
	});
	afterAll(async () => {
		await server.close();
	});

	describe.each(flavours)('$name', flavour => {
		let a: TestClient;
		let b: TestClient;
		beforeAll(async () => {
			a = await flavour.connect(server.port);
			b = await flavour.connect(server.port);
		});
		afterAll(async () => {
			await a.close();
			await b.close();
		});
		const storeOf = (client: TestClient, key: string, options: Partial<RedisStoreOptions> = {}): RedisTokenStore =>
			redisStore({client: client.client, key, ...options});
		/** A store on `client` whose first refused lock attempt resolves `refused` (the acquire script answers the holder's TTL left). */
		const refusedOnce = (client: TestClient, key: string, options: Partial<RedisStoreOptions> = {}) => {
			const refused = deferred<void>();
			const store = redisStore({client: client.observed((command, reply) => {
				const acquire = command.includes(`ky-auth:{${key}}:lock`) && !command.includes(`ky-auth:{${key}}:changes`);
				if (/^EVAL/.test(command[0] ?? '') && acquire && Number(reply) > 0) {
					refused.resolve();
				}
			}), key, ...options});
			return {store, refused: refused.promise};
		};

		describe('compare-and-set', () => {
			it('writes only over the expected version: null means nothing stored', async () => {
				const store = storeOf(a, freshKey());
				const first = record('sign-in-1', 0);
				const second = record('sign-in-1', 1);

				expect(await store.compareAndSet({id: 'sign-in-1', generation: 0}, second)).toBe(false);
				expect(await store.get()).toBeNull();
				expect(await store.compareAndSet(null, first)).toBe(true);
				expect(await store.get()).toEqual(first);
				expect(await store.compareAndSet(null, second)).toBe(false);
				expect(await store.compareAndSet({id: 'sign-in-1', generation: 0}, second)).toBe(true);
				expect(await store.get()).toEqual(second);
			});

			it('refuses a mismatched id or generation and leaves the record as it was', async () => {
				const store = storeOf(a, freshKey());
				const stored = record('mine', 3);
				await store.set(stored);

				expect(await store.compareAndSet({id: 'other', generation: 3}, record('other', 4))).toBe(false);
				expect(await store.compareAndSet({id: 'mine', generation: 2}, record('mine', 3))).toBe(false);
				expect(await store.compareAndSet({id: 'mine', generation: 4}, record('mine', 5))).toBe(false);
				expect(await store.get()).toEqual(stored);
			});

			it('deletes with next null; a stale writer cannot bring a record back', async () => {
				const key = freshKey();
				const store = storeOf(a, key);
				await store.set(record('x', 0));

				expect(await store.compareAndSet({id: 'x', generation: 0}, null)).toBe(true);
				expect(await a.raw('EXISTS', `ky-auth:{${key}}:record`)).toBe(0);
				expect(await store.compareAndSet({id: 'x', generation: 0}, record('x', 1))).toBe(false);
				expect(await store.get()).toBeNull();
			});

			it('reads what readRecord reads: garbage is signed out (null matches), a bare TokenSet is unversioned', async () => {
				const key = freshKey();
				const store = storeOf(a, key);
				const name = `ky-auth:{${key}}:record`;
				await a.raw('SET', name, '{not json');
				expect(await store.get()).toBeNull();
				expect(await store.compareAndSet({id: 'x', generation: 0}, record('x', 1))).toBe(false);
				expect(await store.compareAndSet(null, record('x', 0))).toBe(true);

				await a.raw('SET', name, JSON.stringify({accessToken: 'bare'}));
				expect(await store.get()).toEqual({id: 'unversioned', generation: 0, tokens: {accessToken: 'bare'}});
				expect(await store.compareAndSet(null, record('y', 0))).toBe(false);
				expect(await store.compareAndSet({id: 'unversioned', generation: 0}, record('y', 0))).toBe(true);
				expect(await store.get()).toEqual(record('y', 0));
			});

			it('is atomic: of many writers racing from one version, exactly one wins', async () => {
				const key = freshKey();
				await storeOf(a, key).set(record('race', 0));
				const stores = [storeOf(a, key), storeOf(b, key)];
				const results = await Promise.all(Array.from({length: 20}, async (_, index) =>
					stores[index % 2]?.compareAndSet({id: 'race', generation: 0}, record(`winner-${index}`, 1))));

				expect(results.filter(Boolean)).toHaveLength(1);
			});

			it('rejects what is not a record or a version, naming what it got', async () => {
				const store = storeOf(a, freshKey());
				await expect(store.compareAndSet({id: 'x'} as never, null)).rejects.toThrow(/expected null or \{id: string, generation: integer\}, got an object/);
				await expect(store.set({id: 'x', generation: 0, tokens: {accessToken: ''}})).rejects.toThrow(TypeError);
			});
		});

		describe('subscribe', () => {
			it('another client hears every write, from set and from compareAndSet', async () => {
				const key = freshKey();
				const writer = storeOf(a, key);
				const reader = storeOf(b, key);
				const heard: TokenRecord[] = [];
				let arrived = deferred<void>();
				const stop = reader.subscribe(() => {
					void reader.get().then(value => {
						if (value) {
							heard.push(value);
						}
						arrived.resolve();
					});
				});
				onTestFinished(stop);
				await arrived.promise; // the subscription announces itself once it is live
				heard.length = 0;

				arrived = deferred();
				await writer.set(record('s', 0));
				await arrived.promise;
				arrived = deferred();
				await writer.compareAndSet({id: 's', generation: 0}, record('s', 1));
				await arrived.promise;

				expect(heard).toEqual([record('s', 0), record('s', 1)]);
			});

			it('runs listeners in isolation: one that throws does not keep the others from hearing', async () => {
				const caught = catchUncaught();
				const key = freshKey();
				const reader = storeOf(b, key);
				const boom = new Error('listener failed');
				let live = deferred<void>();
				const calls: number[] = [];
				const stops = [
					reader.subscribe(() => {
						throw boom;
					}),
					reader.subscribe(() => {
						calls.push(1);
						live.resolve();
					}),
				];
				onTestFinished(() => stops.forEach(stop => stop()));
				await live.promise;
				live = deferred();

				await storeOf(a, key).set(record('t', 0));
				await live.promise;
				await flush();

				expect(calls).toEqual([1, 1]);
				expect(caught).toEqual([boom, boom]);
			});

			it('closes its subscriber connection when the last listener leaves', async () => {
				const key = freshKey();
				const channel = `ky-auth:{${key}}:changes`;
				const reader = storeOf(b, key);
				const live = deferred<void>();
				const first = reader.subscribe(() => live.resolve());
				const second = reader.subscribe(() => undefined);
				await live.promise;
				expect(await a.raw('PUBSUB', 'NUMSUB', channel)).toEqual([channel, 1]);

				first();
				expect(await a.raw('PUBSUB', 'NUMSUB', channel)).toEqual([channel, 1]);
				second();
				await waitFor(async () => (await a.raw('PUBSUB', 'NUMSUB', channel) as unknown[])[1] === 0);
			});
		});

		describe('lock', () => {
			it('is exclusive across clients, and a waiter is woken by the release (pub/sub), not by polling', async () => {
				const key = freshKey();
				// Polling alone would take a minute: only the release message can wake the waiter in time.
				const first = storeOf(a, key, {pollInterval: 60_000});
				const {store: second, refused} = refusedOnce(b, key, {pollInterval: 60_000});
				const events: string[] = [];
				const holding = deferred<void>();
				const release = deferred<void>();
				const one = first.lock(async () => {
					events.push('first in');
					holding.resolve();
					await release.promise;
					events.push('first out');
				}, never);
				await holding.promise;
				const two = second.lock(async () => {
					events.push('second in');
				}, never);
				// The waiter's attempt has been refused: it sleeps until a message wakes it.
				await refused;
				await flush();
				expect(events).toEqual(['first in']);

				release.resolve();
				await Promise.all([one, two]);

				expect(events).toEqual(['first in', 'first out', 'second in']);
				expect(await a.raw('EXISTS', `ky-auth:{${key}}:lock`)).toBe(0);
			});

			it('runs one task at a time within a process too', async () => {
				const store = storeOf(a, freshKey());
				let inside = 0;
				let most = 0;
				await Promise.all(Array.from({length: 5}, async () => store.lock(async () => {
					inside++;
					most = Math.max(most, inside);
					await flush();
					inside--;
				}, never)));

				expect(most).toBe(1);
			});

			it('is released only by its owner: a holder whose lock expired and was taken leaves the new holder\'s lock alone', async () => {
				const key = freshKey();
				const lockKey = `ky-auth:{${key}}:lock`;
				const store = storeOf(a, key);
				await store.lock(async () => {
					// The TTL ran out and another process took the lock meanwhile.
					await a.raw('SET', lockKey, 'someone-else', 'PX', '60000');
				}, never);

				expect(await a.raw('GET', lockKey)).toBe('someone-else');
			});

			it('recovers from a holder that never releases once its TTL runs out', async () => {
				const key = freshKey();
				// What a crashed holder leaves: its lock, no longer renewed (lock-renewal.test.ts kills a real one).
				await a.raw('SET', `ky-auth:{${key}}:lock`, 'crashed-holder', 'PX', '300');

				// A poll interval far beyond the TTL: the waiter sleeps exactly as long as the holder has left.
				const {store, refused} = refusedOnce(b, key, {pollInterval: 60_000});
				const left = await store.lock(async () => b.raw('PTTL', `ky-auth:{${key}}:lock`), never);

				await refused;
				expect(Number(left)).toBeGreaterThan(1000); // the waiter's own TTL (15 s by default), not the crashed holder's
			});

			it('gives a lock left without a TTL one, so it cannot block every holder forever', async () => {
				const key = freshKey();
				await a.raw('SET', `ky-auth:{${key}}:lock`, 'written-by-hand');
				const {store, refused} = refusedOnce(b, key, {lockTtl: 1500, commandTimeout: 500, pollInterval: 60_000});
				await expect(store.lock(async () => 'ran', never)).resolves.toBe('ran');
				await refused;
			});

			it('stops waiting when the signal aborts, with its reason, and the lock stays the holder\'s', async () => {
				const key = freshKey();
				const release = deferred<void>();
				const holding = deferred<void>();
				const held = storeOf(a, key).lock(async () => {
					holding.resolve();
					await release.promise;
				}, never);
				await holding.promise;
				const controller = new AbortController();
				let ran = false;
				const waiting = storeOf(b, key).lock(async () => {
					ran = true;
				}, controller.signal);
				const reason = new Error('gave up');
				controller.abort(reason);

				await expect(waiting).rejects.toBe(reason);
				release.resolve();
				await held;
				expect(ran).toBe(false);
			});
		});
	});

	it('an ioredis store and a node-redis store share one record and one lock', async () => {
		const [io, node] = [flavours[1], flavours[3]];
		const ioClient = await io?.connect(server.port);
		const nodeClient = await node?.connect(server.port);
		if (!ioClient || !nodeClient) {
			throw new Error('no clients');
		}
		onTestFinished(async () => {
			await ioClient.close();
			await nodeClient.close();
		});
		const key = freshKey();
		const one = redisStore({client: ioClient.client, key});
		const two = redisStore({client: nodeClient.client, key});
		await one.set(record('shared', 0));

		expect(await two.get()).toEqual(record('shared', 0));
		expect(await two.compareAndSet({id: 'shared', generation: 0}, record('shared', 1))).toBe(true);
		expect(await one.compareAndSet({id: 'shared', generation: 0}, record('shared', 1))).toBe(false);
		expect(await one.get()).toEqual(record('shared', 1));
	});
});

/** Resolves once `check` holds, looking again after each I/O turn (for state only Redis can tell). */
async function waitFor(check: () => Promise<boolean>): Promise<void> {
	for (let attempt = 0; attempt < 200; attempt++) {
		if (await check()) {
			return;
		}
		await flush();
	}
	throw new Error('the condition never held');
}
