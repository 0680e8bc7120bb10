/**
 * The part of an ioredis client the store uses: a `Redis` or a `Cluster` (ioredis 5 or later), RESP2 or RESP3.
 * Written out here instead of imported, so using `ky-auth/redis` with node-redis never needs ioredis' types.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const client: IoredisClient = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
 * ```
 */
export interface IoredisClient {
	/** `'ready'` when commands go out now. */
	readonly status: string;
	/** Sends any command (`call('GET', key)`). */
	call(command: string, ...args: string[]): Promise<unknown>;
	/** A new connection with the same options (the store's subscriber). */
	duplicate(): IoredisClient;
	/** Connects a client made with `lazyConnect` (the store calls it only on its subscriber, when it waits to connect). */
	connect(): Promise<unknown>;
	/** Subscribes this connection to channels; messages arrive as `'message'` events. */
	subscribe(...channels: string[]): Promise<unknown>;
	/** Listens to pub/sub messages. */
	on(event: 'message', listener: (channel: string, message: string) => void): unknown;
	/** Listens to a connection event (`ready`, `close`, `end`, `error`). */
	on(event: string, listener: () => void): unknown;
	/** Stops listening to a connection event. */
	off(event: string, listener: () => void): unknown;
	/** Closes the connection at once. */
	disconnect(): void;
}

/** A node-redis pub/sub listener: `(message, channel)`. */
export type NodeRedisMessageListener = (message: string, channel: string) => unknown;

/** What node-redis single-node and cluster clients share, as the store uses it. */
export interface NodeRedisLifecycle {
	/** Whether commands go out now. */
	readonly isReady: boolean;
	/** Whether the client is open: connected or reconnecting, not closed (node-redis 4 and later). */
	readonly isOpen?: boolean;
	/** Connects the client. */
	connect(): Promise<unknown>;
	/** Subscribes to a channel. */
	subscribe(channel: string, listener: NodeRedisMessageListener): Promise<unknown>;
	/** Listens to a client event (`ready`, `reconnecting`, `end`, `error`; a cluster client's `disconnect`). */
	on(event: string, listener: () => void): unknown;
	/** Stops listening to a client event. */
	off(event: string, listener: () => void): unknown;
	/** Closes at once (node-redis 5 and later). */
	destroy?(): void;
	/** Closes at once (node-redis 4; deprecated later in favour of `destroy`). */
	disconnect?(): Promise<unknown>;
}

/**
 * The part of a node-redis client (`createClient()` from `redis` 4 or later, RESP2 or RESP3) the store uses.
 * Connect it yourself (`await client.connect()`); the store connects only the subscriber it duplicates.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client: NodeRedisClient = await createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }).connect();
 * ```
 */
export interface NodeRedisClient extends NodeRedisLifecycle {
	/** Sends any command (`sendCommand(['GET', key])`). */
	sendCommand(args: readonly string[]): Promise<unknown>;
	/** A new client with the same options (the store's subscriber), not connected yet. */
	duplicate(): NodeRedisClient;
}

/**
 * The part of a node-redis cluster client (`createCluster()` from `redis` 4 or later) the store uses.
 * Connect it yourself (`await cluster.connect()`).
 */
export interface NodeRedisClusterClient extends NodeRedisLifecycle {
	/** The master nodes: what tells a cluster client from a single-node one. */
	readonly masters: readonly unknown[];
	/** Sends any command to the node that owns `firstKey` (any node when `undefined`). */
	sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
	/** A new cluster client with the same options (the store's subscriber), not connected yet. */
	duplicate(): NodeRedisClusterClient;
}

/** A Redis client {@link redisStore} works with: ioredis (`Redis`, `Cluster`) or node-redis (`createClient`, `createCluster`). */
export type RedisClient = IoredisClient | NodeRedisClient | NodeRedisClusterClient;
