import {dev} from '../../utils/dev.js';
import {invalid, isRecord} from '../../utils/validate.js';
import type {DPoPKeyStore} from './key-store.js';

/** Options of {@link indexedDbKeys}. */
export interface IndexedDbKeysOptions {
	/**
	 * The IndexedDB database that holds the key pair. Every `indexedDbKeys()` of an origin with the same name
	 * (each tab, each `dpop()`) shares one key pair.
	 * @default 'ky-auth-dpop'
	 */
	name?: string | undefined;
}

const storeName = 'keys';
const entry = 'key-pair';

function factory(): IDBFactory | undefined {
	const candidate = (globalThis as {indexedDB?: IDBFactory}).indexedDB;
	return candidate && typeof candidate.open === 'function' ? candidate : undefined;
}

function promised<T>(request: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error ?? new Error('IndexedDB: the request failed'));
	});
}

/** Opens `name`, creating the object store (with one upgrade when the database exists without it). */
async function open(indexedDB: IDBFactory, name: string, version?: number): Promise<IDBDatabase> {
	const request = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
	request.onupgradeneeded = () => {
		if (!request.result.objectStoreNames.contains(storeName)) {
			request.result.createObjectStore(storeName);
		}
	};
	request.onblocked = () => {
		// Another connection holds an older version open; it closes on `versionchange` (ours do), then we proceed.
	};
	const database = await promised(request);
	if (database.objectStoreNames.contains(storeName)) {
		database.onversionchange = () => database.close();
		return database;
	}
	database.close();
	return open(indexedDB, name, database.version + 1);
}

function isKeyPair(value: unknown): value is CryptoKeyPair {
	return isRecord(value) && value.privateKey instanceof CryptoKey && value.publicKey instanceof CryptoKey;
}

/** Runs one transaction over the key store and resolves with what `body` produced once the transaction has committed. */
async function transact<T>(indexedDB: IDBFactory, name: string, mode: IDBTransactionMode, body: (store: IDBObjectStore, done: (value: T) => void) => void): Promise<T> {
	const database = await open(indexedDB, name);
	try {
		return await new Promise<T>((resolve, reject) => {
			const transaction = database.transaction(storeName, mode);
			let result: {value: T} | undefined;
			transaction.oncomplete = () => (result ? resolve(result.value) : reject(new Error('IndexedDB: the key transaction completed without a result')));
			transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB: the key transaction failed'));
			transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB: the key transaction was aborted'));
			body(transaction.objectStore(storeName), value => {
				result = {value};
			});
		});
	} finally {
		database.close();
	}
}

/**
 * A key store in IndexedDB, the default of `dpop()` in browsers: the key pair survives reloads, and every
 * tab of the origin signs with the same one (so a token one tab got works in all of them). The private key
 * stays non-extractable: IndexedDB keeps the `CryptoKey` itself (structured clone), never its bits, so no
 * script can read it out, only use it to sign while the page runs.
 *
 * Two tabs that start at once do not end up with two keys: each generates a pair outside any transaction, then
 * one read-write transaction reads the stored pair and writes its own only when there is none; IndexedDB runs
 * the transactions of an origin one after the other, so the second tab reads the first tab's pair and uses it.
 *
 * Clearing site data (or the browser evicting it) removes the key: tokens bound to it stop working, and the
 * user signs in again.
 *
 * @throws TypeError when `options.name` is not a non-empty string.
 *
 * @example
 * ```ts
 * import { dpop, indexedDbKeys } from 'ky-auth/dpop';
 *
 * const scheme = dpop({ keys: indexedDbKeys({ name: 'my-app-dpop' }) });
 * ```
 */
export function indexedDbKeys(options?: IndexedDbKeysOptions): DPoPKeyStore {
	if (options !== undefined && !isRecord(options)) {
		invalid('indexedDbKeys: options', dev ? 'an object with an optional name' : '', options);
	}
	const name: unknown = options?.name ?? 'ky-auth-dpop';
	if (typeof name !== 'string' || name === '') {
		invalid('indexedDbKeys: options.name', dev ? 'a non-empty string' : '', name);
	}
	const database = (): IDBFactory => {
		const indexedDB = factory();
		if (indexedDB === undefined) {
			throw new TypeError('indexedDbKeys: expected a platform with indexedDB (a browser), got none: use memoryKeys() here');
		}
		return indexedDB;
	};
	return Object.freeze({
		load: async () => transact<CryptoKeyPair | undefined>(database(), name, 'readonly', (store, done) => {
			const request = store.get(entry);
			request.onsuccess = () => {
				const stored: unknown = request.result;
				done(isKeyPair(stored) ? stored : undefined);
			};
		}),
		save: async (pair: CryptoKeyPair) => transact<CryptoKeyPair>(database(), name, 'readwrite', (store, done) => {
			const request = store.get(entry);
			request.onsuccess = () => {
				const stored: unknown = request.result;
				if (isKeyPair(stored)) {
					done(stored);
					return;
				}
				store.put({privateKey: pair.privateKey, publicKey: pair.publicKey}, entry);
				done(pair);
			};
		}),
	});
}
