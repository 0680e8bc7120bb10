import {invalid} from '../utils/validate.js';
import type {IoredisClient, NodeRedisClient, NodeRedisClusterClient} from './client-types.js';
import {ioredisConnection} from './ioredis-connection.js';
import {nodeRedisConnection} from './node-redis-connection.js';

/** A connection went up (ready for commands) or down (lost; the client reconnects by itself). */
export type ConnectionState = 'up' | 'down';

/** What a subscriber connection reports: each message, and the connection's ups and downs. */
export interface SubscriptionHandlers {
	onMessage(message: string): void;
	onState(state: ConnectionState): void;
}

/** A dedicated subscriber connection (see {@link RedisConnection.subscribe}). */
export interface Subscription {
	/** Closes the subscriber connection at once. */
	close(): void;
}

/**
 * What the store needs of a Redis client, whichever library made it: one adapter per library
 * (ioredis-connection.ts, node-redis-connection.ts) turns the client into this.
 */
export interface RedisConnection {
	/** Whether the client can send a command now. */
	readonly ready: boolean;
	/**
	 * Whether the client has been ready before: a client that is not ready now is then reconnecting (a command
	 * fails at once rather than wait in the client's offline queue and land late), not still making its first connection.
	 */
	readonly wasReady: boolean;
	/** Sends one command; `key` is the key it touches (a cluster client routes by it), `undefined` for none. */
	send(args: readonly string[], key: string | undefined): Promise<unknown>;
	/**
	 * Opens a dedicated connection (a duplicate of the client) subscribed to `channel`, and resolves once it is
	 * subscribed, however long the client takes to connect; when that fails or `signal` aborts first, closes it and
	 * rejects. `onMessage` receives every message on the channel and `onState` the connection's ups and downs
	 * (after a 'down', the client reconnects and subscribes again by itself).
	 */
	subscribe(channel: string, handlers: SubscriptionHandlers, signal: AbortSignal): Promise<Subscription>;
}

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
