import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {promisify} from 'node:util';
import {Redis} from 'ioredis';
import {flush} from '../helpers/deferred.js';
import {RedisServer, redisMissing, redisServerPath} from './redis-server.js';

/** redis-cli, beside redis-server (Debian's redis-tools, a dependency of redis-server): it creates the cluster. */
const redisCliPath = redisServerPath && join(dirname(redisServerPath), 'redis-cli');

/** Why the cluster tests cannot run here, or `undefined` when they can. */
export const clusterMissing = redisMissing ?? (redisCliPath && existsSync(redisCliPath) ? undefined : `no redis-cli beside ${redisServerPath} (it comes with redis-server)`);

/** Whether every node reports `cluster_state:ok`. */
async function clusterReady(ports: readonly number[]): Promise<boolean> {
	const states = await Promise.all(ports.map(async port => {
		const client = new Redis({host: '127.0.0.1', port, lazyConnect: true});
		try {
			await client.connect();
			return String(await client.call('CLUSTER', 'INFO')).includes('cluster_state:ok');
		} finally {
			client.disconnect();
		}
	}));
	return states.every(Boolean);
}

/** A Redis Cluster of three masters (no replicas) on free loopback ports, nothing persisted. */
export class RedisCluster {
	readonly nodes: readonly RedisServer[];

	private constructor(nodes: readonly RedisServer[]) {
		this.nodes = nodes;
	}

	/** Starts three cluster-enabled servers, joins them (`redis-cli --cluster create`) and waits until the cluster is ok. */
	static async launch(): Promise<RedisCluster> {
		if (!redisCliPath || clusterMissing) {
			throw new Error(clusterMissing);
		}
		const nodes = await Promise.all([0, 1, 2].map(async () => RedisServer.launch(['--cluster-enabled', 'yes', '--cluster-node-timeout', '5000'])));
		const cluster = new RedisCluster(nodes);
		try {
			await promisify(execFile)(redisCliPath, ['--cluster', 'create', ...nodes.map(node => `127.0.0.1:${node.port}`), '--cluster-replicas', '0', '--cluster-yes']);
			for (let attempt = 0; !await clusterReady(nodes.map(node => node.port)); attempt++) {
				if (attempt > 500) {
					throw new Error('the cluster never reported cluster_state:ok');
				}
				await flush();
			}
		} catch (error) {
			await cluster.close();
			throw error;
		}
		return cluster;
	}

	async close(): Promise<void> {
		await Promise.all(this.nodes.map(async node => node.close()));
	}
}
