import type {TokenRecord, TokenRecordVersion, TokenStore} from '../types/store.js';
import type {RedisClient} from './client-types.js';
import type {RedisStoreError} from './redis-store-error.js';

/**
 * Options of {@link redisStore}.
 *
 * @example
 * ```ts
 * redisStore({ client, key: redisKey({ tokenEndpoint: 'https://auth.example.com/oauth/token', clientId: 'orders' }) })
 * ```
 */
export interface RedisStoreOptions {
	/**
	 * A connected client: ioredis (`new Redis()`, `new Cluster()`) or node-redis (`await createClient().connect()`,
	 * `createCluster()`), RESP2 or RESP3. The store sends its commands through it and duplicates it once for its
	 * pub/sub subscriber (closed when the last listener leaves). It never closes your client.
	 */
	client: RedisClient;
	/**
	 * Names the token record: one per credential (token endpoint, client, scope, and the user when acting for
	 * users). Build it with {@link redisKey}, or pick your own. No braces: the store puts it between braces as
	 * the Redis Cluster hash tag, so the record `<prefix>{<key>}:record`, its lock `…:lock` and its channel
	 * `…:changes` share one slot.
	 */
	key: string;
	/**
	 * Put before every key and channel name (no braces).
	 * @default 'ky-auth:'
	 */
	prefix?: string;
	/**
	 * Milliseconds the refresh lock is held at most: a holder that crashed (or lost Redis) is replaced after this
	 * long. **Keep it above the session's `refreshTimeout`** (default 30000): a live holder whose refresh is still
	 * running must not lose the lock to another one. A whole number, at most 2147483647.
	 * @default 35000
	 */
	lockTtl?: number;
	/**
	 * Longest wait, in milliseconds, between two checks: of a taken lock (its release normally wakes waiters at
	 * once through pub/sub; this is the fallback, never shorter than what the holder has left) and of Redis coming
	 * back after an outage. Each wait is jittered (up to a quarter longer). At most 2147483647.
	 * @default 1000
	 */
	pollInterval?: number;
	/**
	 * Milliseconds a Redis command may take before it fails with `REDIS_TIMEOUT` (and the store reports
	 * `degraded`). While the client is reconnecting, commands fail at once with `REDIS_UNAVAILABLE`. At most 2147483647.
	 * @default 2000
	 */
	commandTimeout?: number;
}

/** `connected` while Redis answers; `degraded` from a command that could not reach it until the next one that did. */
export type RedisStoreStatus = 'connected' | 'degraded';

/**
 * The events of a {@link RedisTokenStore}, by name.
 *
 * @example
 * ```ts
 * store.addEventListener('degraded', (event) => log.warn(`Redis: ${event.detail.error.message}`));
 * store.addEventListener('restored', () => log.info('Redis is back'));
 * ```
 */
export interface RedisStoreEventMap {
	/**
	 * Redis could not be reached or did not answer in time (`detail.error`): until `restored`, `lock` runs one
	 * refresh at a time in this process only, and `get`, `set` and `compareAndSet` reject.
	 */
	degraded: CustomEvent<{readonly error: RedisStoreError}>;
	/** Redis answers again. Subscribers have been told to read the record again (changes made meanwhile were not announced). */
	restored: Event;
}

/** A listener of the store event `K`. */
export type RedisStoreListener<K extends keyof RedisStoreEventMap> = (event: RedisStoreEventMap[K]) => void;

/**
 * A {@link TokenStore} in Redis, with every capability a session uses across processes: `compareAndSet` (a Lua
 * script), `lock` (`SET NX PX` with an owner value), `subscribe` (pub/sub). Plus its connection `status` and
 * `degraded`/`restored` events.
 */
export interface RedisTokenStore extends TokenStore {
	/** Reads the record (`GET`): a valid record, a bare TokenSet as an unversioned record, anything else `null`. */
	get(): Promise<TokenRecord | null>;
	/** Writes or (with `null`) deletes the record, and announces it to every subscriber. */
	set(record: TokenRecord | null): Promise<void>;
	/** Writes `next` only when the stored record has the version `expected`, atomically (a Lua script); resolves whether it wrote. */
	compareAndSet(expected: TokenRecordVersion, next: TokenRecord | null): Promise<boolean>;
	/**
	 * Calls `listener` after every write by any process, once the subscription is live, and whenever it was lost
	 * and is back or Redis answers again (changes may have been missed: read again). Returns the function that
	 * stops; the subscriber connection closes when the last listener leaves.
	 */
	subscribe(listener: () => void): () => void;
	/** Runs `task` holding the record's lock across processes (and within this one); abort `signal` to stop waiting. */
	lock<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T>;
	/** Whether Redis answered the last command. */
	readonly status: RedisStoreStatus;
	/** Listens to a store event (see {@link RedisStoreEventMap}). */
	addEventListener<K extends keyof RedisStoreEventMap>(type: K, listener: RedisStoreListener<K>, options?: AddEventListenerOptions | boolean): void;
	/** Stops listening to a store event. */
	removeEventListener<K extends keyof RedisStoreEventMap>(type: K, listener: RedisStoreListener<K>, options?: EventListenerOptions | boolean): void;
}
