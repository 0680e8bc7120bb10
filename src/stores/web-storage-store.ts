import type {TokenStore} from '../types/store.js';
import type {TokenSet} from '../types/tokens.js';
import {invalid, isRecord} from '../utils/validate.js';
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
 * Keeps tokens in Web Storage (`localStorage` by default) as JSON, so they survive reloads and are
 * shared by tabs. Other tabs' changes arrive through the `storage` event, and refreshes are
 * serialised across tabs with the Web Locks API when present, so tabs never spend one rotating
 * refresh token twice. Anything unreadable in storage reads as signed out. Trade-off: any script
 * on the page can read Web Storage (see docs/stores.md).
 *
 * @throws {TypeError} When `key` is not a non-empty string, or there is no storage (SSR, workers).
 * @example
 * ```ts
 * const session = createAuthSession({ store: webStorageStore({ key: 'app.auth' }), refresh });
 * ```
 */
export function webStorageStore(options: WebStorageStoreOptions): TokenStore {
	if (!isRecord(options)) {
		invalid('webStorageStore: options', 'an object with a "key"', options);
	}
	const {key} = options;
	if (typeof key !== 'string' || key === '') {
		invalid('webStorageStore: options.key', 'a non-empty string', key);
	}
	const storage = options.storage ?? (globalThis as {localStorage?: Storage}).localStorage;
	if (!storage || typeof storage.getItem !== 'function' || typeof storage.setItem !== 'function') {
		invalid('webStorageStore: options.storage', 'a Web Storage (there is no globalThis.localStorage here; pass `storage` or use memoryStore() on the server)', storage);
	}
	return {
		get: () => parse(storage.getItem(key)) as TokenSet | null,
		set(tokens) {
			if (tokens === null) {
				storage.removeItem(key);
			} else {
				storage.setItem(key, JSON.stringify(tokens));
			}
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
