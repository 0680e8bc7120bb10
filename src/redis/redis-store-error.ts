import {redactError} from '../redact/redact.js';
import {summarizeCause} from '../redact/summary.js';

/**
 * Why a Redis operation failed: the stable `code` of a {@link RedisStoreError}.
 * - `REDIS_UNAVAILABLE`: Redis cannot be reached now (the client is reconnecting or closed, the server is
 *   loading or in a cluster failover). The store reports `degraded`.
 * - `REDIS_TIMEOUT`: Redis did not answer within `commandTimeout`. The store reports `degraded`.
 * - `REDIS_FAILED`: Redis answered with an error (a key holding another type, a script refused, an ACL): a
 *   configuration problem, not an outage.
 */
export type RedisStoreErrorCode = 'REDIS_UNAVAILABLE' | 'REDIS_TIMEOUT' | 'REDIS_FAILED';

const messages: Record<RedisStoreErrorCode, string> = {
	REDIS_UNAVAILABLE: 'Redis is unavailable',
	REDIS_TIMEOUT: 'Redis did not answer in time',
	REDIS_FAILED: 'Redis refused the command',
};

/**
 * A Redis command of {@link redisStore} failed. `get`, `set` and `compareAndSet` reject with it (the session
 * wraps it in a `StoreError`); `degraded` events carry it. The client's error is the `cause`, with the tokens
 * being written removed (ioredis errors quote the command's arguments), and the message ends with its summary:
 * `Redis is unavailable (SET on ky-auth:{orders}:lock): Error: Connection is closed.`
 *
 * @example
 * ```ts
 * store.addEventListener('degraded', (event) => log.warn(event.detail.error.code, event.detail.error.message));
 * ```
 */
export class RedisStoreError extends Error {
	override name = 'RedisStoreError';
	/** Stable machine-readable reason. */
	readonly code: RedisStoreErrorCode;

	/**
	 * @param code - What failed.
	 * @param operation - The command and key, for the message (`GET ky-auth:{orders}:record`): never a value.
	 * @param cause - The client's error, if any.
	 * @param secrets - Tokens to remove from `cause`.
	 */
	constructor(code: RedisStoreErrorCode, operation: string, cause?: unknown, secrets: ReadonlyArray<string | undefined> = []) {
		const redacted = cause === undefined ? undefined : redactError(cause, secrets);
		const summary = summarizeCause(redacted);
		super(`${messages[code]} (${operation})${summary ? `: ${summary}` : ''}`, redacted === undefined ? undefined : {cause: redacted});
		this.code = code;
	}
}
