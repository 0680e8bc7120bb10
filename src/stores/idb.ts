/** The object store that holds token records, one per store key. */
export const recordStoreName = 'records';
/** The object store that holds the leases of the fallback lock (where Web Locks are missing). */
export const leaseStoreName = 'leases';

const storeNames = [recordStoreName, leaseStoreName];

/** `globalThis.indexedDB`, or `undefined` where there is none (server-side rendering, Node, some workers). */
export function indexedDbFactory(): IDBFactory | undefined {
	const factory = (globalThis as {indexedDB?: IDBFactory}).indexedDB;
	return factory && typeof factory.open === 'function' ? factory : undefined;
}

/** Opens `name` (at `version` when given), creating whichever of ky-auth's object stores are missing. */
async function open(factory: IDBFactory, name: string, version?: number): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = version === undefined ? factory.open(name) : factory.open(name, version);
		request.onupgradeneeded = () => {
			for (const storeName of storeNames) {
				if (!request.result.objectStoreNames.contains(storeName)) {
					request.result.createObjectStore(storeName);
				}
			}
		};
		let blocked = false;
		request.onsuccess = () => {
			if (blocked) {
				// Opened after all, but the caller was told it failed: do not leak the connection.
				request.result.close();
			} else {
				resolve(request.result);
			}
		};
		request.onerror = () => reject(request.error ?? new Error(`IndexedDB: could not open "${name}"`));
		request.onblocked = () => {
			blocked = true;
			reject(new Error(`IndexedDB: opening "${name}" is blocked by another connection holding an older version open`));
		};
	});
}

/** Opens the database, upgrading it once when it exists without ky-auth's object stores (a name shared with other data). */
async function openWithStores(factory: IDBFactory, name: string): Promise<IDBDatabase> {
	const database = await open(factory, name);
	if (storeNames.every(storeName => database.objectStoreNames.contains(storeName))) {
		return database;
	}
	database.close();
	return open(factory, name, database.version + 1);
}

/**
 * One IndexedDB database, opened on first use. The connection is kept; when the browser closes it or
 * another tab upgrades the database, it is dropped and the next transaction opens a new one.
 */
export class Database {
	readonly #factory: IDBFactory;
	readonly #name: string;
	#connection: Promise<IDBDatabase> | undefined;

	constructor(factory: IDBFactory, name: string) {
		this.#factory = factory;
		this.#name = name;
	}

	#connect(): Promise<IDBDatabase> {
		this.#connection ??= openWithStores(this.#factory, this.#name).then(
			database => {
				const drop = (): void => {
					this.#connection = undefined;
				};
				database.onclose = drop;
				database.onversionchange = () => {
					database.close();
					drop();
				};
				return database;
			},
			(error: unknown) => {
				this.#connection = undefined;
				throw error;
			},
		);
		return this.#connection;
	}

	/**
	 * Runs one transaction on `storeName`. `body` issues its requests (chaining further ones from their
	 * `onsuccess` keeps the transaction alive) and returns a function that reads the result; the promise
	 * resolves with it once the transaction has committed, and rejects when it aborts or fails.
	 */
	async transact<T>(storeName: string, mode: IDBTransactionMode, body: (store: IDBObjectStore) => () => T): Promise<T> {
		const database = await this.#connect();
		return new Promise<T>((resolve, reject) => {
			const transaction = database.transaction(storeName, mode);
			const result = body(transaction.objectStore(storeName));
			transaction.oncomplete = () => resolve(result());
			transaction.onabort = () => reject(transaction.error ?? new DOMException('The IndexedDB transaction was aborted', 'AbortError'));
		});
	}
}
