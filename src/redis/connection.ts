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
