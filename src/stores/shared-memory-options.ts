import {dev} from '../utils/dev.js';
import {invalid, isRecord, timerDelay} from '../utils/validate.js';

const where = 'sharedMemoryStore';

/**
 * Options of {@link sharedMemoryStore}.
 *
 * @example
 * ```ts
 * sharedMemoryStore({ key: 'app.auth', lockTimeout: 15_000, answerTimeout: 250 })
 * ```
 */
export interface SharedMemoryStoreOptions {
	/** Names the record: tabs whose stores have the same key share it (also names its channel and locks). */
	key: string;
	/**
	 * Milliseconds after which a lock holder that never releases (a hung tab) loses the lock: a waiter
	 * steals the Web Lock after waiting this long (a lease of the fallback lock expires after this long).
	 * Keep it below the session's `refreshTimeout` (default 30 000), or a waiter gives up before it would
	 * steal; and above the longest time your token endpoint takes, or a slow but live holder is robbed (then
	 * both may spend one refresh token). At most 2147483647.
	 * @default 20000
	 */
	lockTimeout?: number;
	/**
	 * Milliseconds to wait for the other open tabs to answer (a new tab asking for the record, a read inside
	 * the lock, a write waiting to be taken by every tab). Tabs usually answer within a few milliseconds;
	 * this bounds the wait for a tab that is busy or gone without saying so. Where Web Locks tell which
	 * tabs are open, a wait ends as soon as they all answered; elsewhere a new tab always waits this long
	 * for its first read. At most 2147483647.
	 * @default 250
	 */
	answerTimeout?: number;
}

/** Validates the options of sharedMemoryStore eagerly (a `TypeError` saying what was expected and what was got), with their defaults. */
export function readSharedMemoryOptions(options: unknown): Required<SharedMemoryStoreOptions> {
	if (!isRecord(options)) {
		invalid(`${where}: options`, dev ? 'an object with a "key"' : '', options);
	}
	const {key} = options;
	if (typeof key !== 'string' || key === '') {
		invalid(`${where}: options.key`, dev ? 'a non-empty string' : '', key);
	}
	return {
		key,
		lockTimeout: timerDelay(`${where}: options.lockTimeout`, options.lockTimeout, 20_000),
		answerTimeout: timerDelay(`${where}: options.answerTimeout`, options.answerTimeout, 250),
	};
}
