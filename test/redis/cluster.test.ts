import {Cluster} from 'ioredis';
import {createCluster} from 'redis';
import {afterAll, beforeAll, describe, expect, it, onTestFinished} from 'vitest';
import type {TokenRecord} from '../../src/index.js';
import {redisStore, type RedisTokenStore} from '../../src/redis/index.js';
import {deferred, flush} from '../helpers/deferred.js';
import {clusterMissing, RedisCluster} from './redis-cluster.js';

const record = (id: string, generation: number): TokenRecord => ({id, generation, tokens: {accessToken: `access-${id}-${generation}`}});
const never = new AbortController().signal;

describe.skipIf(clusterMissing)(clusterMissing ? `redisStore on Redis Cluster — SKIPPED: ${clusterMissing}` : 'redisStore on a 3-node Redis Cluster, through ioredis Cluster and node-redis createCluster', () => {
	let cluster: RedisCluster;
	let ioredis: Cluster;
	let nodeRedis: ReturnType<typeof createCluster>;
	beforeAll(async () => {
		cluster = await RedisCluster.launch();
		const [first] = cluster.nodes;
		if (!first) {
			throw new Error('no nodes');
		}
		ioredis = new Cluster([{host: '127.0.0.1', port: first.port}]);
		ioredis.on('error', () => undefined);
		nodeRedis = createCluster({rootNodes: [{url: `redis://127.0.0.1:${first.port}`}]});
		nodeRedis.on('error', () => undefined);
		await nodeRedis.connect();
	}, 60_000);
	afterAll(async () => {
		ioredis?.disconnect();
		nodeRedis?.destroy();
		await cluster?.close();
	});

	// {a}, {b} and {c} hash to slots 15495, 3300 and 7365: one on each of the three masters.
	it.each(['a', 'b', 'c'])('record and lock of key %s share one slot; compare-and-set, lock and subscribe work across both clients', async key => {
		expect(await ioredis.call('CLUSTER', 'KEYSLOT', `ky-auth:{${key}}:record`)).toBe(await ioredis.call('CLUSTER', 'KEYSLOT', `ky-auth:{${key}}:lock`));
		const one: RedisTokenStore = redisStore({client: ioredis, key});
		const two: RedisTokenStore = redisStore({client: nodeRedis, key});
		let heard = deferred<void>();
		const stop = two.subscribe(() => {
			heard.resolve();
		});
		onTestFinished(stop);
		await heard.promise;
		heard = deferred();

		expect(await one.compareAndSet(null, record(key, 0))).toBe(true);
		await heard.promise;
		expect(await two.get()).toEqual(record(key, 0));
		expect(await two.compareAndSet({id: key, generation: 0}, record(key, 1))).toBe(true);
		expect(await one.compareAndSet({id: key, generation: 0}, record(key, 2))).toBe(false);

		let inside = 0;
		let most = 0;
		const task = async (): Promise<void> => {
			inside++;
			most = Math.max(most, inside);
			await flush();
			inside--;
		};
		await Promise.all([one.lock(task, never), two.lock(task, never), one.lock(task, never), two.lock(task, never)]);
		expect(most).toBe(1);
		expect(one.status).toBe('connected');
		expect(two.status).toBe('connected');
	});

	// Issue 18: the store's subscriber connection (a duplicate cluster client) lives no longer than the client.
	it.each([
		{name: 'ioredis Cluster, quit()', key: 'end-a', make: async () => {
			const client = new Cluster([{host: '127.0.0.1', port: cluster.nodes[0]?.port ?? 0}]);
			client.on('error', () => undefined);
			return {client, close: async (): Promise<unknown> => client.quit()};
		}},
		{name: 'node-redis createCluster, close()', key: 'end-b', make: async () => {
			const client = createCluster({rootNodes: [{url: `redis://127.0.0.1:${cluster.nodes[0]?.port ?? 0}`}]});
			client.on('error', () => undefined);
			await client.connect();
			return {client, close: async (): Promise<unknown> => client.close()};
		}},
	])('$name: closing the client closes the store\'s subscriber connection too', async ({key, make}) => {
		const {client, close} = await make();
		onTestFinished(async () => {
			await close().catch(() => undefined);
		});
		const store = redisStore({client, key});
		const heard = deferred<void>();
		onTestFinished(store.subscribe(() => {
			heard.resolve();
		}));
		await heard.promise;
		/** Subscribers of the store's channel, summed over the masters (each counts its own connections). */
		const subscribers = async (): Promise<number> => {
			const replies = await Promise.all(ioredis.nodes('master').map(async node => node.call('PUBSUB', 'NUMSUB', `ky-auth:{${key}}:changes`)));
			return replies.reduce<number>((sum, reply) => sum + Number((reply as unknown[])[1]), 0);
		};
		expect(await subscribers()).toBe(1);
		await close();
		for (let attempt = 0; await subscribers() > 0; attempt++) {
			if (attempt > 500) {
				throw new Error('the subscriber connection never closed');
			}
			await flush();
		}
	});
});
