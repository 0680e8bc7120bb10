import {afterAll, beforeAll, describe, expect, it, onTestFinished} from 'vitest';
import type {TokenRecord} from '../../src/index.js';
import {redisStore, type RedisTokenStore} from '../../src/redis/index.js';
import {deferred, flush} from '../helpers/deferred.js';
import {flavours, type TestClient} from './clients.js';
import {RedisServer, redisMissing} from './redis-server.js';

const record = (id: string, generation: number): TokenRecord => ({
	id,
	generation,
	tokens: {accessToken: `access-${id}-${generation}`, refreshToken: `refresh-${id}-${generation}`, expiresAt: 1_900_000_000_000},
});

const never = new AbortController().signal;

/** The store's `degraded` and `restored` events, in order, and a promise for the next of each. */
function watch(store: RedisTokenStore) {
	const events: string[] = [];
	let degraded = deferred<void>();
	let restored = deferred<void>();
	store.addEventListener('degraded', event => {
		events.push(`degraded ${event.detail.error.code}`);
		degraded.resolve();
	});
	store.addEventListener('restored', () => {
		events.push('restored');
		restored.resolve();
	});
	return {
		events,
		nextDegraded: () => degraded.promise.finally(() => {
			degraded = deferred();
		}),
		nextRestored: () => restored.promise.finally(() => {
			restored = deferred();
		}),
	};
}

/** Two tasks through `store.lock` at once: the order they ran in (one at a time: 'a in', 'a out', 'b in', 'b out'). */
async function twoTasks(store: RedisTokenStore): Promise<string[]> {
	const order: string[] = [];
	await Promise.all(['a', 'b'].map(async name => store.lock(async () => {
		order.push(`${name} in`);
		await flush();
		order.push(`${name} out`);
	}, never)));
	return order;
}

/** Two tasks through `store.lock` at once while Redis cannot be reached: how each attempt ended, and how many tasks ran. */
async function twoRefused(store: RedisTokenStore): Promise<{errors: unknown[]; ran: number}> {
	let ran = 0;
	const attempts = await Promise.allSettled(['a', 'b'].map(async () => store.lock(async () => {
		ran++;
	}, never)));
	return {errors: attempts.map(attempt => attempt.status === 'rejected' ? attempt.reason : 'ran'), ran};
}

const outage = {name: 'RedisStoreError', code: expect.stringMatching(/^REDIS_(UNAVAILABLE|TIMEOUT)$/)};

describe.skipIf(redisMissing)(redisMissing ? `redisStore when Redis goes away — SKIPPED: ${redisMissing}` : 'redisStore when Redis goes away and comes back', () => {
	let keys = 0;
	describe.each(flavours)('$name', flavour => {
		let server: RedisServer;
		let client: TestClient;
		beforeAll(async () => {
			server = await RedisServer.launch();
			client = await flavour.connect(server.port);
		});
		afterAll(async () => {
			await client.close();
			await server.close();
		});

		it('stopped: degraded fires, the lock rejects without running its task (nothing can be coordinated), reads reject; restarted: restored fires and subscribers read again', async () => {
			const store = redisStore({client: client.client, key: `outage-${++keys}`, pollInterval: 20, commandTimeout: 500});
			const {events, nextDegraded, nextRestored} = watch(store);
			let heard = deferred<void>();
			const stop = store.subscribe(() => {
				heard.resolve();
			});
			onTestFinished(stop);
			await heard.promise;
			await store.set(record('kept', 0));

			await server.stop();
			await nextDegraded();
			expect(store.status).toBe('degraded');
			expect(await twoRefused(store)).toEqual({errors: [expect.objectContaining(outage), expect.objectContaining(outage)], ran: 0});
			await expect(store.get()).rejects.toMatchObject(outage);
			await expect(store.compareAndSet({id: 'kept', generation: 0}, record('kept', 1))).rejects.toMatchObject({name: 'RedisStoreError'});

			heard = deferred();
			await server.start();
			await nextRestored();
			await heard.promise;

			expect(store.status).toBe('connected');
			expect(events).toEqual([expect.stringMatching(/^degraded REDIS_/), 'restored']);
			// Nothing was persisted: the restarted server is empty, and the store works on it again.
			expect(await store.get()).toBeNull();
			expect(await store.compareAndSet(null, record('again', 0))).toBe(true);
			expect(await twoTasks(store)).toEqual(['a in', 'a out', 'b in', 'b out']);
		});

		it('without subscribers: the failing command reports degraded, the next one that succeeds reports restored', async () => {
			const store = redisStore({client: client.client, key: `outage-${++keys}`, commandTimeout: 500});
			const {events, nextDegraded, nextRestored} = watch(store);

			await server.stop();
			await expect(store.get()).rejects.toMatchObject({name: 'RedisStoreError'});
			await nextDegraded();
			expect(await twoRefused(store)).toEqual({errors: [expect.objectContaining(outage), expect.objectContaining(outage)], ran: 0});

			await server.start();
			await client.ready();
			expect(await store.get()).toBeNull();
			await nextRestored();
			expect(events).toEqual([expect.stringMatching(/^degraded REDIS_/), 'restored']);
		});

		it('hung (no answers): a lock attempt times out and its task never runs; the lock its late SET took is given back once Redis answers', async () => {
			const key = `outage-${++keys}`;
			const lockKey = `ky-auth:{${key}}:lock`;
			const store = redisStore({client: client.client, key, pollInterval: 20, commandTimeout: 200});
			const {nextDegraded, nextRestored} = watch(store);
			let heard = deferred<void>();
			const stop = store.subscribe(() => {
				heard.resolve();
			});
			onTestFinished(stop);
			await heard.promise;
			// Once Redis knows the lock script, a late EVALSHA takes the lock (else it fails with NOSCRIPT).
			await store.lock(async () => undefined, never);
			heard = deferred();

			server.pause();
			// The SET NX is sent but not answered in time: its outcome is unknown, which is no permission to run.
			expect(await twoRefused(store)).toEqual({errors: [expect.objectContaining({name: 'RedisStoreError', code: 'REDIS_TIMEOUT'}), expect.objectContaining(outage)], ran: 0});
			await nextDegraded();
			server.resume();
			await nextRestored();
			// Nothing was written meanwhile: only the store's restore tells the subscriber to read again.
			await heard.promise;

			// The late SET took the lock; the store released it, so the next holder does not wait out a 15 s TTL.
			await waitFor(async () => await client.raw('EXISTS', lockKey) === 0);
			const other = redisStore({client: client.client, key, pollInterval: 60_000});
			await expect(other.lock(async () => 'next holder', never)).resolves.toBe('next holder');
		});
	});
});

/** Resolves once `check` holds, looking again after each I/O turn (for state only Redis can tell). */
async function waitFor(check: () => Promise<boolean>): Promise<void> {
	for (let attempt = 0; attempt < 500; attempt++) {
		if (await check()) {
			return;
		}
		await flush();
	}
	throw new Error('the condition never held');
}
