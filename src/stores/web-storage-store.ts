import {dev} from '../utils/dev.js';
import type {TokenRecord, TokenStore} from '../types/store.js';
import {invalid, isRecord} from '../utils/validate.js';
import {matchesVersion, readRecord} from '../record/record.js';
import {webLock} from './web-lock.js';

/**
 * Options of {@link webStorageStore}.
 *
 * @example
 * ```ts
 * webStorageStore({ key: 'app.auth', storage: sessionStorage })
 * ```
 */
export interface WebStorageStoreOptions {
	/** The storage key (also names the cross-tab refresh lock). */
	key: string;
	/**
	 * The Web Storage to use.
	 * @default globalThis.localStorage
	 */
	storage?: Storage;
}

function parse(raw: string | null): unknown {
	if (raw === null) {
		return null;
	}
	try {
		return JSON.parse(raw) as unknown;
	} catch {
		return null;
	}
}

/**
 * Keeps the token record in Web Storage (`localStorage` by default) as JSON, so it survives reloads.
 * Other tabs' changes arrive through the `storage` event; refreshes take a cross-tab Web Lock where there is
 * one and commit by compare-and-set. Caveat, measured in Chromium: a tab granted the lock may still read
 * the previous holder's `localStorage` write late, so across tabs with rotating refresh tokens use
 * {@link indexedDbStore}, whose reads are consistent (docs/stores.md). Anything unreadable in storage reads
 * as signed out. Trade-off: any script on the page can read Web Storage.
 *
 * @throws {TypeError} When `key` is not a non-empty string, or there is no storage (SSR, workers).
 * @example
 * ```ts
 * const session = createAuthSession({ store: webStorageStore({ key: 'app.auth' }), refresh });
 * ```
 */
export function webStorageStore(options: WebStorageStoreOptions): TokenStore {
	if (!isRecord(options)) {
		invalid('webStorageStore: options', dev ? 'an object with a "key"' : '', options);
	}
	const {key} = options;
	if (typeof key !== 'string' || key === '') {
		invalid('webStorageStore: options.key', dev ? 'a non-empty string' : '', key);
	}
	const storage = options.storage ?? (globalThis as {localStorage?: Storage}).localStorage;
	if (!storage || typeof storage.getItem !== 'function' || typeof storage.setItem !== 'function') {
		invalid('webStorageStore: options.storage', dev ? 'a Web Storage (there is no globalThis.localStorage here; pass `storage` or use memoryStore() on the server)' : '', storage);
	}
	const write = (record: TokenRecord | null): void => {
		if (record === null) {
			storage.removeItem(key);
		} else {
			storage.setItem(key, JSON.stringify(record));
		}
	};
	return {
		get: () => readRecord(parse(storage.getItem(key))),
		set: write,
		// Atomic within this page (read and write are synchronous); across tabs see docs/stores.md.
		compareAndSet(expected, next) {
			if (!matchesVersion(readRecord(parse(storage.getItem(key))), expected)) {
				return false;
			}
			write(next);
			return true;
		},
		subscribe(listener) {
			const target = globalThis as {addEventListener?: EventTarget['addEventListener']; removeEventListener?: EventTarget['removeEventListener']};
			if (typeof target.addEventListener !== 'function') {
				return () => undefined;
			}
			const onStorage = (event: Event): void => {
				const {key: changed, storageArea} = event as StorageEvent;
				if ((changed === key || changed === null) && storageArea === storage) {
					listener();
				}
			};
			target.addEventListener('storage', onStorage);
			return () => target.removeEventListener?.('storage', onStorage);
		},
		lock: webLock(`ky-auth:${key}`),
	};
}
