import {dev, seeDocs} from '../utils/dev.js';
import {tokenSetProblem} from '../record/token-set.js';
import type {TokenRecord, TokenStore} from '../types/store.js';
import type {TokenSet} from '../types/tokens.js';
import {Listeners} from './listeners.js';
import {localLock} from '../utils/local-lock.js';
import {matchesVersion, readRecord} from '../record/record.js';

/**
 * Keeps tokens in memory: the safest place in a browser (nothing a script injected later can read
 * from storage), lost on reload. Sessions sharing one memory store are holders of one sign-in: they see
 * each other's changes, refresh one at a time (an in-process lock) and commit by compare-and-set, so they
 * never spend a refresh token twice or undo each other's sign-in or sign-out.
 *
 * @param initial - Tokens to start with (stored as an unversioned record).
 * @throws {TypeError} When `initial` is given and is not a TokenSet.
 * @example
 * ```ts
 * const session = createAuthSession({ store: memoryStore({ accessToken: 'a', expiresIn: 300 }) });
 * ```
 */
export function memoryStore(initial?: TokenSet | null): TokenStore {
	if (initial !== undefined && initial !== null) {
		const problem = tokenSetProblem(initial);
		if (problem !== undefined) {
			throw new TypeError(dev ? `memoryStore: expected a TokenSet or nothing, got ${problem}` : `memoryStore: ${seeDocs('TypeError')}`);
		}
	}
	let value: TokenRecord | null = readRecord(initial ?? null);
	const listeners = new Listeners();
	const write = (record: TokenRecord | null): void => {
		value = record;
		listeners.notify();
	};
	return {
		get: () => value,
		set: write,
		compareAndSet(expected, next) {
			if (!matchesVersion(value, expected)) {
				return false;
			}
			write(next);
			return true;
		},
		subscribe: listener => listeners.add(listener),
		lock: localLock(),
	};
}
