import {checkVersion, checkWritable} from '../record/stored-record.js';
import {ChangeChannel} from './change-channel.js';
import {RedisCommands} from './commands.js';
import {RedisHealth} from './health.js';
import {recordKeys} from './keys.js';
import {validateOptions} from './options.js';
import {RecoveryProbe} from './recovery-probe.js';
import {RedisLock} from './redis-lock.js';
import {RedisStoreError} from './redis-store-error.js';
import {textReply} from './reply.js';
import {deserialize, secretsOf, serialize} from './record-json.js';
import {compareAndSet} from './compare-and-set.js';
import {scripts} from './scripts.js';
import {jittered} from './jitter.js';
import type {RedisStoreOptions, RedisTokenStore} from './types.js';

const where = 'redisStore';

/**
 * A token store in Redis, shared by every process (replicas of a service, workers) that uses the same `key`:
 * with it, a storm of expired tokens across all of them makes one token-endpoint call.
 * - `compareAndSet` is one Lua script (compare the stored `id` and `generation`, write, publish): a stale writer
 *   never overwrites a newer generation, another sign-in or a sign-out, and a rotated refresh token is never
 *   committed twice.
 * - `lock` is `SET NX PX` with a random owner value per attempt, renewed by its holder every `lockTtl / 3` and
 *   released only by its owner (compare-and-PEXPIRE, compare-and-delete in Lua); waiters wake on the release
 *   (pub/sub) or poll with jitter; a crashed holder's lock expires after `lockTtl`. A lock that cannot be taken
 *   rejects: the lock keeps a refresh token from being spent twice, compare-and-set keeps the record right.
 * - `subscribe` hears every write on the record's channel through one duplicated connection, open while anyone
 *   listens; listeners run in isolation. Sessions keep the record in memory: requests make no Redis round trip.
 * - When Redis cannot be reached or does not answer within `commandTimeout`, `lock`, `get`, `set` and
 *   `compareAndSet` reject with {@link RedisStoreError} and the store emits `degraded` ("I cannot coordinate",
 *   never "I will refresh alone"); when it answers again, `restored`, and every subscriber is told to read again.
 *
 * Works with ioredis and node-redis clients (RESP2 and RESP3, single node or Cluster) without importing either.
 *
 * @throws {TypeError} When an option is invalid (see {@link RedisStoreOptions}).
 * @example
 * ```ts
 * const store = redisStore({ client: new Redis(process.env.REDIS_URL!), key: redisKey({ tokenEndpoint, clientId }) });
 * const session = createAuthSession({ store, refresh });
 * ```
 */
export function redisStore(options: RedisStoreOptions): RedisTokenStore {
	const settings = validateOptions(options);
	const {connection, pollInterval} = settings;
	const keys = recordKeys(settings.prefix, settings.key);
	const health = new RedisHealth({
		degraded: () => {
			probe.schedule();
		},
		restored: () => {
			channel.notify();
			lock.restored();
		},
	});
	const commands = new RedisCommands(connection, settings.commandTimeout, health);
	const channel = new ChangeChannel(connection, keys.channel, {
		retryDelay: () => jittered(pollInterval),
		onState: state => {
			if (state === 'down') {
				health.failed(new RedisStoreError('REDIS_UNAVAILABLE', `SUBSCRIBE ${keys.channel}`, new Error('the subscriber connection was lost')));
			} else {
				probe.check();
			}
		},
	});
	const probe = new RecoveryProbe(async () => commands.send(['PING'], undefined), pollInterval, () => health.status === 'degraded' && channel.used);
	const lock = new RedisLock({commands, keys, channel, ttl: settings.lockTtl, pollInterval});

	return {
		async get() {
			return deserialize(textReply(await commands.send(['GET', keys.record], keys.record), `GET ${keys.record}`));
		},
		async set(record) {
			checkWritable(`${where}: set`, record);
			await commands.run(scripts.set, [keys.record], [serialize(record), keys.channel], secretsOf(record));
		},
		async compareAndSet(expected, next) {
			checkVersion(`${where}: compareAndSet expected`, expected);
			checkWritable(`${where}: compareAndSet next`, next);
			return compareAndSet(commands, keys, expected, next);
		},
		subscribe(listener) {
			const stop = channel.subscribe(listener);
			probe.schedule();
			return stop;
		},
		async lock(task, signal) {
			return lock.run(task, signal);
		},
		get status() {
			return health.status;
		},
		addEventListener(type, listener, listenerOptions) {
			health.add(type, listener, listenerOptions);
		},
		removeEventListener(type, listener, listenerOptions) {
			health.remove(type, listener, listenerOptions);
		},
	};
}
