import {dev} from '../utils/dev.js';
import {memoryStore} from '../stores/memory-store.js';
import {RefreshError} from '../errors/refresh-error.js';
import type {AutoRefresh} from '../types/auto-refresh.js';
import type {AuthSession, AuthSessionOptions, MachineSessionOptions} from '../types/session.js';
import type {TokenStore} from '../types/store.js';
import type {RefreshFunction, TokenSet} from '../types/tokens.js';
import {invalid, isRecord, optionalDuration, optionalFunction, timerDelay} from '../utils/validate.js';
import {Session} from './auth-session.js';
import {Backoff} from './backoff.js';
import {MachineGate} from './machine-gate.js';
import type {SessionSettings} from './settings.js';


/** Whether `value` looks like an ioredis or node-redis client (they have `get` and `set`, of keys). */
function isRedisClient(value: Record<string, unknown>): boolean {
	return typeof value.duplicate === 'function' && (typeof value.sendCommand === 'function' || typeof value.call === 'function');
}

/**
 * Throws a `TypeError` unless `store` is a {@link TokenStore}: `get` and `set`, and the optional methods functions
 * when present. Key-value objects whose `get`/`set` take a key (a `Map`, a Redis client) are refused with a hint.
 */
function checkStore(where: string, store: unknown): asserts store is TokenStore {
	if (!isRecord(store) || typeof store.get !== 'function' || typeof store.set !== 'function') {
		invalid(`${where}: options.store`, dev ? 'a TokenStore with get() and set() methods' : '', store);
	}
	if (isRedisClient(store)) {
		invalid(`${where}: options.store`, dev ? 'a TokenStore (a Redis client reads and writes keys: wrap it with redisStore({ client, key }) from \'ky-auth/redis\')' : '', store);
	}
	if (store instanceof Map || store instanceof WeakMap) {
		invalid(`${where}: options.store`, dev ? 'a TokenStore whose get() and set() read and write one token record (a Map takes keys: use memoryStore())' : '', store);
	}
	for (const method of ['compareAndSet', 'subscribe', 'lock'] as const) {
		if (store[method] !== undefined && typeof store[method] !== 'function') {
			invalid(`${where}: options.store.${method}`, dev ? 'a function when present' : '', store[method]);
		}
	}
}

function validateStore(where: string, store: unknown): TokenStore | undefined {
	if (store === undefined) {
		return undefined;
	}
	checkStore(where, store);
	return store;
}

/**
 * The `autoRefresh` option: the `autoRefresh` export, or nothing. `true` (what ky-auth 0.1 took) is
 * refused with the way to the export, so an upgrade never silently stops renewing.
 */
function autoRefreshOption(where: string, value: unknown): AutoRefresh | undefined {
	if (value === undefined || value === false) {
		return undefined;
	}
	if (!isAutoRefresh(value)) {
		invalid(`${where}: options.autoRefresh`, dev ? 'the autoRefresh export (import { autoRefresh } from \'ky-auth\' and pass it: { autoRefresh }; `autoRefresh: true`, what ky-auth 0.1 took, is replaced by it), or false' : '', value);
	}
	return value;
}

function isAutoRefresh(value: unknown): value is AutoRefresh {
	return isRecord(value) && value.kind === 'autoRefresh' && typeof value.start === 'function';
}

/** Validates the options both kinds of session share and applies their defaults. */
function settingsOf(where: string, options: AuthSessionOptions): SessionSettings {
	if (!isRecord(options)) {
		invalid(`${where}: options`, 'an object', options);
	}
	const now = optionalFunction<() => number>(`${where}: options.now`, options.now);
	const refreshTimeout = timerDelay(`${where}: options.refreshTimeout`, options.refreshTimeout, 30_000);
	return {
		autoRefresh: autoRefreshOption(where, options.autoRefresh),
		store: validateStore(where, options.store) ?? memoryStore(),
		refresh: optionalFunction<RefreshFunction>(`${where}: options.refresh`, options.refresh),
		refreshWindow: optionalDuration(`${where}: options.refreshWindow`, options.refreshWindow) ?? 60_000,
		refreshTimeout,
		now: now ?? (() => Date.now()),
		onSignOut: optionalFunction<(tokens: TokenSet) => unknown>(`${where}: options.onSignOut`, options.onSignOut),
	};
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
	return new Session(settingsOf('createAuthSession', options));
}

/**
 * Creates a session for a machine client (client credentials, a service account): it has no sign-in. It
 * obtains a token when a request needs one (and renews it in the refresh window, as a user session does); after
 * a failure it tries again at the next need, waiting between attempts with a bounded backoff (requests meanwhile
 * fail fast with the last `RefreshError`, never `SESSION_ENDED`). A `refresh` that resolves `null` counts as a
 * failed attempt. Share its store (for example `ky-auth/redis`) to obtain one token for every replica.
 *
 * @throws {TypeError} When an option is not of the expected type, or `refresh` is missing.
 * @example
 * ```ts
 * const machine = createMachineSession({ refresh: async () => fetchServiceToken() });
 * const api = createAuthClient(machine, { baseUrl: 'https://api.example.com/' });
 * ```
 */
export function createMachineSession(options: MachineSessionOptions): AuthSession {
	const where = 'createMachineSession';
	if (isRecord(options) && typeof options.refresh !== 'function') {
		invalid(`${where}: options.refresh`, dev ? 'a function that obtains a token' : '', options.refresh);
	}
	const settings = settingsOf(where, options);
	const retry: unknown = options.retry;
	if (retry !== undefined && !isRecord(retry)) {
		invalid(`${where}: options.retry`, dev ? 'an object with initialDelay and/or maxDelay' : '', retry);
	}
	const initialDelay = optionalDuration(`${where}: options.retry.initialDelay`, retry?.initialDelay) ?? 1000;
	const maxDelay = optionalDuration(`${where}: options.retry.maxDelay`, retry?.maxDelay) ?? 60_000;
	if (maxDelay < initialDelay) {
		invalid(`${where}: options.retry.maxDelay`, dev ? `at least retry.initialDelay (${initialDelay})` : '', maxDelay);
	}
	const obtain = options.refresh;
	return new Session({
		...settings,
		// A machine session has no sign-in to end: `null` is a failed attempt.
		refresh: async context => (await obtain(context)) ?? Promise.reject(new RefreshError('REFRESH_FAILED', {
			detail: 'the refresh function returned null (a machine session has no sign-in to end)',
		})),
		machine: new Backoff({initialDelay, maxDelay}),
	}, MachineGate);
}
