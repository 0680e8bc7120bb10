import type {Database} from './idb.js';
import {leaseLock} from './lease-lock.js';
import {webLock, type LockFunction} from './web-lock.js';

/**
 * The lock shared by the tabs of an origin: Web Locks where the page may use them (`isSecureContext &&
 * navigator.locks`; a holder that keeps it `lockTimeout` ms is robbed), else a lease in IndexedDB (`lease()`
 * gives the database, or `undefined` when there is none: then no lock).
 *
 * @param leaseKey - Which lease record, when the lease lock is used.
 */
export function tabLock(name: string, lockTimeout: number, lease: () => Database | undefined, leaseKey = name): LockFunction | undefined {
	const secure = (globalThis as {isSecureContext?: boolean}).isSecureContext === true;
	const web = secure ? webLock(name, {stealAfter: lockTimeout}) : undefined;
	if (web) {
		return web;
	}
	const database = lease();
	return database && leaseLock(database, leaseKey, `${name}:lease`, lockTimeout);
}
