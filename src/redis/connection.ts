/** A connection went up (ready for commands) or down (lost; the client reconnects by itself). */
export type ConnectionState = 'up' | 'down';

/** What a subscriber connection reports: each message, the connection's ups and downs, and its end. */
export interface SubscriptionHandlers {
	onMessage(message: string): void;
	onState(state: ConnectionState): void;
	/**
	 * The client was closed (its owner's `quit()`, `close()`, `disconnect()` or `destroy()`; an ioredis client also
	 * ends when its retryStrategy gives up): the subscriber connection has been closed with it, and reports nothing more.
	 */
	onEnd(): void;
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
	/**
	 * Whether the client is closed (by its owner; a node-redis client not connected yet counts as closed): the store
	 * then opens no connection of its own, since it must never keep a process alive once the client that does is gone.
	 */
	readonly closed: boolean;
	/** Sends one command; `key` is the key it touches (a cluster client routes by it), `undefined` for none. */
	send(args: readonly string[], key: string | undefined): Promise<unknown>;
	/**
	 * Opens a dedicated connection (a duplicate of the client) subscribed to `channel`, and resolves once it is
	 * subscribed, however long the client takes to connect; when that fails or `signal` aborts first, closes it and
	 * rejects. `onMessage` receives every message on the channel and `onState` the connection's ups and downs
	 * (after a 'down', the client reconnects and subscribes again by itself). When the client itself is closed,
	 * the subscriber connection is closed too, and `onEnd` is called (or, while it is still being opened, the promise rejects).
	 */
	subscribe(channel: string, handlers: SubscriptionHandlers, signal: AbortSignal): Promise<Subscription>;
}
