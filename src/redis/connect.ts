import {invalid} from '../utils/validate.js';
import type {IoredisClient, NodeRedisClient, NodeRedisClusterClient} from './client-types.js';
import type {RedisConnection} from './connection.js';
import {ioredisConnection} from './ioredis-connection.js';
import {nodeRedisConnection} from './node-redis-connection.js';

/** The field `name` of `value`, read without assuming anything about it. */
function field(value: object, name: string): unknown {
	const found: unknown = Reflect.get(value, name);
	return found;
}

/** ioredis (`Redis`, `Cluster`): `call`, `status` and `duplicate`. */
function isIoredis(client: object): client is IoredisClient {
	return typeof field(client, 'call') === 'function' && typeof field(client, 'status') === 'string' && typeof field(client, 'duplicate') === 'function';
}

/** node-redis (`createClient`, `createCluster`): `sendCommand`, `isReady` and `duplicate`. */
function isNodeRedis(client: object): client is NodeRedisClient | NodeRedisClusterClient {
	return typeof field(client, 'sendCommand') === 'function' && typeof field(client, 'isReady') === 'boolean' && typeof field(client, 'duplicate') === 'function';
}

/** A node-redis cluster client has `masters`; a single-node client has not. */
function isNodeRedisCluster(client: NodeRedisClient | NodeRedisClusterClient): client is NodeRedisClusterClient {
	return Array.isArray(field(client, 'masters'));
}

/**
 * Adapts an ioredis or node-redis client, told apart by their methods.
 *
 * @throws {TypeError} For anything else.
 */
export function connectionOf(where: string, client: unknown): RedisConnection {
	if (typeof client === 'object' && client !== null) {
		if (isIoredis(client)) {
			return ioredisConnection(client);
		}
		if (isNodeRedis(client)) {
			return isNodeRedisCluster(client) ? nodeRedisConnection({cluster: client}) : nodeRedisConnection({client});
		}
	}
	return invalid(where, 'an ioredis client (new Redis(), new Cluster()) or a node-redis client (createClient(), createCluster())', client);
}
