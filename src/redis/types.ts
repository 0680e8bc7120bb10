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
	 * pub/sub subscriber, closed when the last listener leaves (`session.dispose()`) or when your client is closed,
	 * and never opened while it is: the store keeps no process alive that your client does not. It never closes your
	 * client: at shutdown, `session.dispose()`, then your client's `quit()` (ioredis) or `close()` (node-redis).
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
	 * The refresh lock's TTL in milliseconds: how long a holder that died (crashed, SIGKILLed, cut off from Redis)
	 * blocks the others before one of them takes the lock over. A live holder never loses it: it renews the lock
	 * every third of this while its refresh runs, however long that takes (the session's `refreshTimeout` bounds
	 * its own refresh). Waiting for another holder ends when its lock is released or expires, or at the waiting
	 * request's own timeout or abort. A whole number, at least 3 × `commandTimeout` (so a renewal lands before
	 * the lock expires: a smaller value is a `TypeError`), at most 2147483647.
	 * @default 15000
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
	 * `degraded`). While the client is reconnecting, commands fail at once with `REDIS_UNAVAILABLE`. A lock attempt
	 * that fails either way rejects: its outcome is unknown, so it is never taken as permission to refresh. At most
	 * a third of `lockTtl`.
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
	 * Redis could not be reached or did not answer in time (`detail.error`): the store cannot coordinate. Until
	 * `restored`, `lock`, `get`, `set` and `compareAndSet` reject with a {@link RedisStoreError} wherever Redis
	 * does not answer: a session holding a refresh token does not spend it, and a machine session (no refresh
	 * token) obtains its own token.
	 */
	degraded: CustomEvent<{readonly error: RedisStoreError}>;
	/** Redis answers again. Subscribers have been told to read the record again (changes made meanwhile were not announced). */
	restored: Event;
}

/** A listener of the store event `K`. */
export type RedisStoreListener<K extends keyof RedisStoreEventMap> = (event: RedisStoreEventMap[K]) => void;

/**
 * A {@link TokenStore} in Redis, with every capability a session uses across processes: `compareAndSet` (a Lua
 * script), `lock` (`SET NX PX` with an owner value, renewed while held), `subscribe` (pub/sub). Plus its connection `status` and
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
	/**
	 * Runs `task` holding the record's lock across processes (and within this one), renewed while the task runs;
	 * abort `signal` to stop waiting. Rejects with a {@link RedisStoreError} without running `task` when the lock
	 * cannot be taken (Redis unreachable, no answer within `commandTimeout`, or a refused command): an attempt
	 * whose outcome is unknown is never permission to refresh. When a renewal finds the lock taken over (Redis or
	 * this process stalled for a whole `lockTtl`), nothing is left to do but commit by `compareAndSet`, which
	 * refuses to overwrite what the other holder wrote.
	 */
	lock<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T>;
	/** Whether Redis answered the last command. */
	readonly status: RedisStoreStatus;
	/** Listens to a store event (see {@link RedisStoreEventMap}). */
	addEventListener<K extends keyof RedisStoreEventMap>(type: K, listener: RedisStoreListener<K>, options?: AddEventListenerOptions | boolean): void;
	/** Stops listening to a store event. */
	removeEventListener<K extends keyof RedisStoreEventMap>(type: K, listener: RedisStoreListener<K>, options?: EventListenerOptions | boolean): void;
}
