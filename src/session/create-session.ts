import {memoryStore} from '../stores/memory-store.js';
import type {AuthSession, AuthSessionOptions} from '../types/session.js';
import type {TokenStore} from '../types/store.js';
import type {RefreshFunction} from '../types/tokens.js';
import {invalid, isRecord, optionalDuration, optionalFunction} from '../utils/validate.js';
import {Session} from './auth-session.js';

/** The longest delay a timer supports (2^31 - 1 ms); longer ones fire at once. */
const maxTimer = 2_147_483_647;

function validateStore(store: unknown): TokenStore | undefined {
	if (store === undefined) {
		return undefined;
	}
	if (!isRecord(store) || typeof store.get !== 'function' || typeof store.set !== 'function') {
		invalid('createAuthSession: options.store', 'a TokenStore with get() and set() methods', store);
	}
	for (const method of ['subscribe', 'lock'] as const) {
		if (store[method] !== undefined && typeof store[method] !== 'function') {
			invalid(`createAuthSession: options.store.${method}`, 'a function when present', store[method]);
		}
	}
	return store as unknown as TokenStore;
}

/**
 * Creates the token session of one user: the single owner of the tokens and of their refresh,
 * shared by every client and fetch made from it.
 *
 * @throws {TypeError} When an option is not of the expected type.
 * @example
 * ```ts
 * const session = createAuthSession({
 *   store: webStorageStore({ key: 'app.auth' }),
 *   refresh: async ({ tokens, signal }) => exchangeRefreshToken(tokens?.refreshToken, signal),
 * });
 * await session.signIn({ accessToken, refreshToken, expiresIn: 3600 });
 * ```
 */
export function createAuthSession(options: AuthSessionOptions = {}): AuthSession {
	if (!isRecord(options)) {
		invalid('createAuthSession: options', 'an object', options);
	}
	const now = optionalFunction<() => number>('createAuthSession: options.now', options.now);
	const refreshTimeout = optionalDuration('createAuthSession: options.refreshTimeout', options.refreshTimeout) ?? 30_000;
	if (refreshTimeout === 0 || refreshTimeout > maxTimer) {
		invalid('createAuthSession: options.refreshTimeout', `a positive number of milliseconds up to ${maxTimer}`, refreshTimeout);
	}
	return new Session({
		store: validateStore(options.store) ?? memoryStore(),
		refresh: optionalFunction<RefreshFunction>('createAuthSession: options.refresh', options.refresh),
		refreshWindow: optionalDuration('createAuthSession: options.refreshWindow', options.refreshWindow) ?? 60_000,
		refreshTimeout,
		now: now ?? (() => Date.now()),
	});
}
