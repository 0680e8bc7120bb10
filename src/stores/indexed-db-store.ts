import {dev} from '../utils/dev.js';
import type {TokenRecord, TokenRecordVersion, TokenStore} from '../types/store.js';
import type {TokenSet} from '../types/tokens.js';
import {invalid, isRecord, timerDelay} from '../utils/validate.js';
import {ChangeFeed} from './change-feed.js';
import {Database, indexedDbFactory, recordStoreName} from './idb.js';
import {matchesVersion, readRecord} from '../record/record.js';
import {checkVersion, checkWritable} from '../record/stored-record.js';
import {tabLock} from './tab-lock.js';

const where = 'indexedDbStore';
/** The longest delay a timer holds. */

/**
 * Options of {@link indexedDbStore}.
 *
 * @example
 * ```ts
 * indexedDbStore({ key: 'app.auth', lockTimeout: 15_000 })
 * ```
 */
export interface IndexedDbStoreOptions {
	/** The record's key in the database (also names the cross-tab lock and change channel). */
	key: string;
	/**
	 * The IndexedDB database; ky-auth creates its object stores (`records`, `leases`) in it.
	 * @default 'ky-auth'
	 */
	databaseName?: string;
	/**
	 * Milliseconds after which a lock holder that never releases (a hung tab) loses the lock: a waiter
	 * steals the Web Lock after waiting this long, and a fallback lease not renewed for this long expires.
	 * Keep it below the session's `refreshTimeout` (default 30 000), or a waiter gives up before it would steal;
	 * and above the longest time your token endpoint takes, or a slow but live holder is robbed (then both may
	 * spend one refresh token). At most 2147483647.
	 * @default 20000
	 */
	lockTimeout?: number;
}

function validate(options: unknown): Required<IndexedDbStoreOptions> {
	if (!isRecord(options)) {
		invalid(`${where}: options`, dev ? 'an object with a "key"' : '', options);
	}
	const {key, databaseName = 'ky-auth'} = options;
	if (typeof key !== 'string' || key === '') {
		invalid(`${where}: options.key`, dev ? 'a non-empty string' : '', key);
	}
	if (typeof databaseName !== 'string' || databaseName === '') {
		invalid(`${where}: options.databaseName`, dev ? 'a non-empty string' : '', databaseName);
	}
	return {key, databaseName, lockTimeout: timerDelay(`${where}: options.lockTimeout`, options.lockTimeout, 20_000)};
}

/**
 * Keeps the token record in IndexedDB, shared by every tab of the origin, with everything a session
 * needs so that tabs never spend one refresh token twice, never switch users and never undo a sign-out:
 * - `compareAndSet` in one readwrite transaction: IndexedDB orders transactions across tabs, so it is
 *   atomic across tabs, and a read inside the lock sees the previous holder's write (which Chromium does
 *   not promise for `localStorage`).
 * - `lock`: Web Locks (`navigator.locks`) in secure contexts; a hung holder's lock is stolen after
 *   `lockTimeout`, a closed tab's is released by the browser. Elsewhere, a lease record in the same
 *   database that expires after `lockTimeout` unless its live holder renews it.
 * - `subscribe`: a `BroadcastChannel` named `ky-auth:<databaseName>:<key>`, plus this instance's own
 *   listeners; listeners run in isolation.
 * Anything unreadable in the database reads as `null` (signed out). Trade-off: any script on the page
 * can read IndexedDB, as with Web Storage (see docs/stores.md).
 *
 * @throws {TypeError} When an option is invalid, or there is no IndexedDB (server-side rendering, Node).
 * @example
 * ```ts
 * const session = createAuthSession({ store: indexedDbStore({ key: 'app.auth' }), refresh });
 * ```
 */
export function indexedDbStore(options: IndexedDbStoreOptions): TokenStore {
	const settings = validate(options);
	const factory = indexedDbFactory();
	if (!factory) {
		invalid(`${where}: globalThis.indexedDB`, dev ? 'an IndexedDB (there is none here: server-side rendering or Node? use memoryStore() on the server)' : '', undefined);
	}
	const {key, databaseName} = settings;
	const database = new Database(factory, databaseName);
	const feed = new ChangeFeed(`ky-auth:${databaseName}:${key}`);
	const write = (store: IDBObjectStore, next: TokenRecord | TokenSet | null): void => {
		if (next === null) {
			store.delete(key);
		} else {
			store.put(next, key);
		}
	};

	return {
		async get() {
			const stored = await database.transact(recordStoreName, 'readonly', store => {
				const read = store.get(key);
				return (): unknown => read.result;
			});
			return readRecord(stored);
		},
		async set(record) {
			checkWritable(`${where}: set`, record);
			await database.transact(recordStoreName, 'readwrite', store => {
				write(store, record);
				return () => undefined;
			});
			feed.announce();
		},
		async compareAndSet(expected: TokenRecordVersion, next: TokenRecord | null) {
			checkVersion(`${where}: compareAndSet expected`, expected);
			checkWritable(`${where}: compareAndSet next`, next);
			const wrote = await database.transact(recordStoreName, 'readwrite', store => {
				let matched = false;
				const read = store.get(key);
				read.onsuccess = () => {
					matched = matchesVersion(readRecord(read.result), expected);
					if (matched) {
						write(store, next);
					}
				};
				return () => matched;
			});
			if (wrote) {
				feed.announce();
			}
			return wrote;
		},
		subscribe: listener => feed.subscribe(listener),
		// Web Locks where the page may use them, else the IndexedDB lease lock (the database is always there).
		lock: tabLock(`ky-auth:${settings.databaseName}:${settings.key}`, settings.lockTimeout, () => database, settings.key),
	};
}
