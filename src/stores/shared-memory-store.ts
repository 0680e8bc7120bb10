import type {TokenRecord, TokenRecordVersion, TokenStore} from '../types/store.js';
import {Database, indexedDbFactory} from './idb.js';
import {Listeners} from './listeners.js';
import {readSharedMemoryOptions, type SharedMemoryStoreOptions} from './shared-memory-options.js';
import {memoryStore} from './memory-store.js';
import {matchesVersion, readRecord} from '../record/record.js';
import {Replica} from './shared-memory-replica.js';
import {checkVersion, checkWritable} from '../record/stored-record.js';
import {TabPresence} from './tab-presence.js';
import {tabLock} from './tab-lock.js';
import {hasBroadcastChannel} from './broadcast.js';

const where = 'sharedMemoryStore';

export type {SharedMemoryStoreOptions} from './shared-memory-options.js';

interface PageShowEvents {
	addEventListener?: (type: 'pageshow', listener: (event: Event) => void) => void;
	removeEventListener?: (type: 'pageshow', listener: (event: Event) => void) => void;
}

/**
 * Whether the store keeps each tab's copy current before it is relied on: syncs with the open tabs when the
 * refresh lock is granted and before each write, and waits until every open tab has taken a write.
 * `sharedMemoryStore` always does; turned off only to show (in test/tabs) what it prevents.
 */
export interface SharedMemoryGuards {
	/** Sync with the open tabs when a lock is granted, and resolve a write only once every open tab took it. */
	current: boolean;
}

/**
 * {@link sharedMemoryStore} with its guards chosen (internal; tests turn them off to show the failure).
 *
 * Why a rotated refresh token is never spent twice by the tabs sharing the record (assuming Web Locks, no
 * lock stolen, and every open tab answering within `answerTimeout`):
 * 1. The session spends a refresh token only inside `lock` (the refresh lock), only the one of the record it
 *    read there, and holds the lock until its compare-and-set has resolved. A newer generation is written
 *    only by such a compare-and-set. So spends and the writes of new generations happen in lock sections,
 *    one section at a time.
 * 2. Every write (`set`, `compareAndSet`) runs under a second lock (the write lock), first syncs (asks every
 *    open tab for its copy and keeps the newest), then compares, then sends the write and resolves only once
 *    every open tab has answered it, i.e. has taken it. Writes are thus ordered, each stamped above every
 *    earlier one, and a compare-and-set compares against the newest write, even one made in another tab.
 * 3. When a section commits generation g+1, every open tab holds g+1 (or a later write) before the section
 *    ends. The next holder of the refresh lock syncs again before the session reads: even a tab that missed
 *    the write learns it from the tab that wrote it. Its read shows g+1 or later (a newer generation, or
 *    another sign-in, or a sign-out), never g: the session adopts it and never presents refresh token g.
 * Which tabs are open is known from Web Locks (each tab holds a presence lock while it holds a copy; the
 * browser releases a closed tab's), so a wait ends as soon as they all answered.
 * Why both steps of 2 and 3 (acknowledged writes, sync on lock): nothing orders a BroadcastChannel message
 * before a Web Lock grant. In Chromium a message posted before a release had not reached the next holder when
 * it was granted the lock in 35 of 500 bare handoffs. Either step alone covers that; together, a stale read
 * needs the reader to miss the write for `answerTimeout` AND every tab holding it to stay silent as long.
 */
export function createSharedMemoryStore(options: SharedMemoryStoreOptions, guards: SharedMemoryGuards): TokenStore {
	const {key, lockTimeout, answerTimeout} = readSharedMemoryOptions(options);
	if (!hasBroadcastChannel()) {
		// Nothing to share with (Safari before 15.4): this tab's own memory, as memoryStore().
		return memoryStore();
	}
	const name = `ky-auth:shared:${encodeURIComponent(key)}`;
	const listeners = new Listeners();
	const replica = new Replica({
		channelName: name,
		answerTimeout,
		presence: TabPresence.create(`${name}:tab:`),
		changed: () => {
			listeners.notify();
		},
	});
	let database: Database | undefined;
	const lease = (): Database | undefined => {
		const factory = indexedDbFactory();
		database ??= factory && new Database(factory, 'ky-auth');
		return database;
	};
	// Web Locks where the page may use them; else a lease in IndexedDB (no token is stored there); else none.
	const refreshLock = tabLock(name, lockTimeout, lease);
	const writeLock = tabLock(`${name}:write`, lockTimeout, lease);
	const forever = new AbortController().signal;

	/** One write: `decide` gets the newest record and returns what to write, or `undefined` to write nothing. */
	const write = async (decide: (current: TokenRecord | null) => TokenRecord | null | undefined): Promise<boolean> => {
		await replica.join();
		const step = async (): Promise<boolean> => {
			if (guards.current) {
				await replica.sync();
			}
			const next = decide(replica.record);
			if (next === undefined) {
				return false;
			}
			await replica.publish(next, guards.current);
			listeners.notify();
			return true;
		};
		return writeLock ? writeLock(step, forever) : step();
	};

	let subscriptions = 0;
	const page = globalThis as PageShowEvents;
	const onPageShow = (event: Event): void => {
		// Back from the back/forward cache: learn what the open tabs did meanwhile.
		if ('persisted' in event && event.persisted === true) {
			void replica.join();
		}
	};

	const store: TokenStore = {
		get() {
			const joining = replica.join();
			return joining ? joining.then(() => replica.record) : replica.record;
		},
		async set(record) {
			checkWritable(`${where}: set`, record);
			await write(() => readRecord(record));
		},
		async compareAndSet(expected: TokenRecordVersion, next: TokenRecord | null) {
			checkVersion(`${where}: compareAndSet expected`, expected);
			checkWritable(`${where}: compareAndSet next`, next);
			return write(current => matchesVersion(current, expected) ? readRecord(next) : undefined);
		},
		subscribe(listener) {
			const stop = listeners.add(listener);
			if (++subscriptions === 1) {
				page.addEventListener?.('pageshow', onPageShow);
			}
			void replica.join();
			let active = true;
			return () => {
				if (!active) {
					return;
				}
				active = false;
				stop();
				if (--subscriptions === 0) {
					page.removeEventListener?.('pageshow', onPageShow);
					replica.leave();
				}
			};
		},
	};
	if (refreshLock) {
		store.lock = async <T>(task: () => Promise<T>, signal: AbortSignal): Promise<T> => {
			await replica.join();
			return refreshLock(async () => {
				if (guards.current) {
					await replica.sync();
				}
				return task();
			}, signal);
		};
	}
	return store;
}

/**
 * Keeps the token record only in the memory of the open tabs of the origin, shared through a
 * `BroadcastChannel`: nothing is persisted, so the sign-in is lost when the last tab closes (or reloads
 * alone), and a script injected later finds nothing in storage. A new tab asks the open ones for the record
 * (its first read is asynchronous: the session is not `ready` until they answered, or `answerTimeout`);
 * sign-in, refresh and sign-out reach every tab. A tab stops sharing on `pagehide` (and when its last
 * listener unsubscribes), and asks again when it is used after that.
 *
 * The same guarantees as {@link indexedDbStore} for tabs sharing a sign-in with rotating refresh tokens:
 * - `lock`: Web Locks (`isSecureContext && navigator.locks`), stolen from a hung holder after `lockTimeout`;
 *   a closed tab's is released by the browser. When it is granted, the tab first syncs its copy with the
 *   open tabs, so the session's read inside the lock is current.
 * - `set` and `compareAndSet`: under a second Web Lock, against the newest copy of the open tabs, resolved
 *   once every open tab has taken the write. So a refresh never overwrites a newer generation, another
 *   sign-in or a sign-out made in another tab, and a rotated refresh token is never spent twice.
 * - `subscribe`: called when another tab's write reaches this one, and after this instance's own writes;
 *   listeners run in isolation.
 * Without Web Locks (an insecure context), both locks are leases in IndexedDB (holding no token); without
 * IndexedDB either, there is no lock and tabs may refresh at the same time. Without `BroadcastChannel`, the
 * store is this tab's own memory, shared with no other tab. See docs/stores.md.
 *
 * @throws {TypeError} When an option is invalid.
 * @example
 * ```ts
 * const session = createAuthSession({ store: sharedMemoryStore({ key: 'app.auth' }), refresh });
 * ```
 */
export function sharedMemoryStore(options: SharedMemoryStoreOptions): TokenStore {
	return createSharedMemoryStore(options, {current: true});
}
