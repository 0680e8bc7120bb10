import type {RedisConnection} from './connection.js';
import {withinDeadline} from './deadline.js';
import type {RedisHealth} from './health.js';
import {RedisStoreError} from './redis-store-error.js';
import type {LuaScript} from './scripts.js';

/** Error replies that mean "Redis is not available right now" (loading, busy, failing over), not "wrong command". */
const transientReplies = /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|NOREPLICAS)\b/;

/** Tokens never travel in a command's error: the values written are passed as secrets and redacted. */
type Secrets = ReadonlyArray<string | undefined>;

/** No answer within the command timeout. */
class CommandTimeout extends Error {
	override name = 'TimeoutError';
}

/** Not sent: the client lost its connection and is reconnecting, or was closed. */
class Reconnecting extends Error {
	override name = 'ConnectionError';
}

function messageOf(error: unknown): string {
	return error instanceof Error && typeof error.message === 'string' ? error.message : '';
}

/**
 * Sends the store's commands through its {@link RedisConnection}: each one bounded by `timeout` (deadline.ts), failing at
 * once while the client reconnects (instead of waiting in its offline queue to land late), and its failure
 * turned into a {@link RedisStoreError} that reports the outage to {@link RedisHealth}. Scripts go by `EVALSHA`,
 * falling back to `EVAL` when the node does not know them yet (a restart, a new cluster node).
 */
export class RedisCommands {
	readonly #connection: RedisConnection;
	readonly #timeout: number;
	readonly #health: RedisHealth;

	constructor(connection: RedisConnection, timeout: number, health: RedisHealth) {
		this.#connection = connection;
		this.#timeout = timeout;
		this.#health = health;
	}

	/** Sends `args`; `key` routes it on a cluster and names it in errors. */
	async send(args: readonly string[], key: string | undefined, secrets: Secrets = []): Promise<unknown> {
		const operation = key === undefined ? args[0] ?? '' : `${args[0] ?? ''} ${key}`;
		return this.#settle(this.#attempt(args, key), operation, secrets);
	}

	/** Runs a Lua script (lua.ts) on `keys` (the first routes it) with `args`. */
	async run(script: LuaScript, keys: readonly string[], args: readonly string[], secrets: Secrets = []): Promise<unknown> {
		const operation = `${script.name} on ${keys[0] ?? ''}`;
		const attempt = async (): Promise<unknown> => {
			const sha = await script.sha();
			try {
				return await this.#attempt(['EVALSHA', sha, String(keys.length), ...keys, ...args], keys[0]);
			} catch (error) {
				if (!messageOf(error).startsWith('NOSCRIPT')) {
					throw error;
				}
				return this.#attempt(['EVAL', script.source, String(keys.length), ...keys, ...args], keys[0]);
			}
		};
		return this.#settle(attempt(), operation, secrets);
	}

	async #attempt(args: readonly string[], key: string | undefined): Promise<unknown> {
		const connection = this.#connection;
		if (!connection.ready && connection.wasReady) {
			throw new Reconnecting(connection.closed ? 'the client is closed; the command was not sent' : 'the client is reconnecting; the command was not sent');
		}
		return withinDeadline(connection.send(args, key), this.#timeout, () => new CommandTimeout(`no answer within ${this.#timeout} ms`));
	}

	async #settle(attempt: Promise<unknown>, operation: string, secrets: Secrets): Promise<unknown> {
		let reply: unknown;
		try {
			reply = await attempt;
		} catch (error) {
			const failure = this.#failure(error, operation, secrets);
			if (failure.code !== 'REDIS_FAILED') {
				this.#health.failed(failure);
			}
			throw failure;
		}
		this.#health.succeeded();
		return reply;
	}

	#failure(error: unknown, operation: string, secrets: Secrets): RedisStoreError {
		if (error instanceof Reconnecting) {
			return new RedisStoreError('REDIS_UNAVAILABLE', operation, error);
		}
		if (error instanceof CommandTimeout) {
			return new RedisStoreError('REDIS_TIMEOUT', operation, error);
		}
		// A client that is not ready after a failure lost its connection; otherwise Redis answered with an error.
		const unavailable = !this.#connection.ready || transientReplies.test(messageOf(error));
		return new RedisStoreError(unavailable ? 'REDIS_UNAVAILABLE' : 'REDIS_FAILED', operation, error, secrets);
	}
}
