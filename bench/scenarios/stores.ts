/**
 * Store cost in steady state: the same ky-auth client over a canned fetch (as in the in-process scenario),
 * signed in with a valid token, on a memoryStore and on a redisStore (ioredis, node-redis) against a real
 * redis-server on loopback. A request reads the token from the session's memory, never from the store, so the
 * added cost over plain ky should not depend on the store: this measures that claim. Interleaved rounds, the
 * median of per-round differences, as in-process.
 */
import {Redis} from 'ioredis';
import ky from 'ky';
import {createClient} from 'redis';
import {createAuthClient, createAuthSession, memoryStore, type TokenStore} from '../../dist/index.js';
import {redisStore} from '../../dist/redis.js';
import {RedisServer, redisMissing} from '../../test/redis/redis-server.ts';
import type {BenchConfig} from '../config.ts';
import {sequential} from '../load.ts';
import {median, paired, roundOrder} from '../stats.ts';
import {cannedFetch} from './in-process.ts';

export type StoreContender = 'ky' | 'memory' | 'redisIoredis' | 'redisNodeRedis';

export interface StoresResult {
	/** Why the Redis contenders did not run, when they did not. */
	skipped?: string;
	rounds: number;
	requestsPerRound: number;
	/** Median wall-clock µs per request, per contender. */
	medianWallUs: Partial<Record<StoreContender, number>>;
	/** Median of the per-round differences over plain ky, µs per request. */
	addedOverKy: Partial<Record<Exclude<StoreContender, 'ky'>, number>>;
}

const origin = 'http://api.bench.invalid';

async function authClient(store: TokenStore): Promise<() => Promise<void>> {
	const session = createAuthSession({store, refresh: async () => ({accessToken: 'refreshed-token', expiresIn: 3600})});
	await session.signIn({accessToken: 'steady-token-0123456789abcdef', refreshToken: 'r', expiresIn: 3600});
	const client = createAuthClient(session, {prefix: origin, fetch: cannedFetch, retry: 0});
	return async () => {
		await client.get('api/item').json();
	};
}

export async function runStores(config: BenchConfig, log: (line: string) => void): Promise<StoresResult> {
	const {requestsPerRound, warmupRequests} = config.inProcess;
	const rounds = Math.max(50, Math.round(config.inProcess.rounds / 4));
	const plain = ky.create({prefix: origin, fetch: cannedFetch, retry: 0, headers: {authorization: 'Bearer steady-token-0123456789abcdef'}});
	const calls = new Map<StoreContender, () => Promise<void>>([
		['ky', async () => {
			await plain.get('api/item').json();
		}],
		['memory', await authClient(memoryStore())],
	]);
	const cleanup: Array<() => Promise<unknown>> = [];
	const skipped = redisMissing;
	if (!skipped) {
		const server = await RedisServer.launch();
		cleanup.push(async () => server.stop());
		const ioredis = new Redis({host: '127.0.0.1', port: server.port, lazyConnect: true});
		await ioredis.connect();
		const nodeRedis = createClient({url: server.url});
		await nodeRedis.connect();
		cleanup.push(async () => ioredis.quit(), async () => nodeRedis.close());
		calls.set('redisIoredis', await authClient(redisStore({client: ioredis, key: 'bench-ioredis'})));
		calls.set('redisNodeRedis', await authClient(redisStore({client: nodeRedis, key: 'bench-node-redis'})));
	}
	try {
		const contenders = [...calls.keys()];
		for (const id of contenders) {
			await sequential(calls.get(id)!, warmupRequests);
		}
		const wallUs = new Map(contenders.map(id => [id, [] as number[]]));
		for (let round = 0; round < rounds; round++) {
			for (const id of roundOrder(contenders, round)) {
				wallUs.get(id)!.push((await sequential(calls.get(id)!, requestsPerRound)).wallUs);
			}
		}
		log(`  stores: ${rounds} rounds of ${requestsPerRound} requests per contender`);
		const medianWallUs: StoresResult['medianWallUs'] = {};
		const addedOverKy: StoresResult['addedOverKy'] = {};
		for (const id of contenders) {
			medianWallUs[id] = median(wallUs.get(id)!);
			if (id !== 'ky') {
				addedOverKy[id] = median(paired(wallUs.get(id)!, wallUs.get('ky')!, (a, b) => a - b));
			}
		}
		return {...(skipped ? {skipped} : {}), rounds, requestsPerRound, medianWallUs, addedOverKy};
	} finally {
		for (const step of cleanup.reverse()) {
			await step().catch(() => undefined);
		}
	}
}
