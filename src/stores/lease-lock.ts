import {hasBroadcastChannel} from './broadcast.js';
import {type Database, leaseStoreName} from './idb.js';
import type {LockFunction} from './web-lock.js';
import {bounded} from '../utils/bounded.js';
import {isRecord} from '../utils/validate.js';

/** A lease on the lock: who holds it and until when (epoch ms). */
interface Lease {
	owner: string;
	until: number;
}

/** Polling between wake-ups, in ms: 50–150 at random, so waiters do not retry in step. */
function pollDelay(): number {
	return 50 + Math.random() * 100;
}

/** A random owner id (`crypto.getRandomValues` works outside secure contexts, unlike `randomUUID`). */
function ownerId(): string {
	return Array.from(crypto.getRandomValues(new Uint32Array(4)), part => part.toString(36)).join('-');
}

function isLease(value: unknown): value is Lease {
	return isRecord(value) && typeof value.owner === 'string' && typeof value.until === 'number';
}

/** Resolves after `delay` ms, or earlier on a `released` message; rejects when `signal` aborts. */
async function nap(delay: number, channel: BroadcastChannel | undefined, signal: AbortSignal): Promise<void> {
	let wake = (): void => undefined;
	const woken = new Promise<void>(resolve => {
		wake = resolve;
	});
	const timer = setTimeout(wake, delay);
	if (channel) {
		channel.onmessage = wake;
	}
	try {
		await bounded(woken, {signal});
	} finally {
		clearTimeout(timer);
		if (channel) {
			channel.onmessage = null;
		}
	}
}

/**
 * The fallback `TokenStore.lock` where Web Locks are missing (insecure contexts, old browsers): a lease
 * record in the same IndexedDB. A caller takes the lease in one readwrite transaction when there is none
 * or it has expired, else waits (polling with jitter, woken early by a `released` message on a
 * `BroadcastChannel`). The holder renews its lease while its task runs and deletes it afterwards (only
 * its own). A lease that is not renewed (closed or hung tab) expires after `lease` ms, and the next waiter
 * takes it. Clocks: every tab of an origin reads the same machine's `Date.now()`.
 *
 * @param key - Which lease (the store key).
 * @param channelName - The `BroadcastChannel` on which releases are announced.
 * @param lease - Milliseconds a lease lasts without renewal.
 */
export function leaseLock(database: Database, key: string, channelName: string, lease: number): LockFunction {
	const take = async (owner: string): Promise<boolean> => database.transact(leaseStoreName, 'readwrite', store => {
		let taken = false;
		const read = store.get(key);
		read.onsuccess = () => {
			const current: unknown = read.result;
			const now = Date.now();
			if (!isLease(current) || current.until <= now || current.owner === owner) {
				store.put({owner, until: now + lease} satisfies Lease, key);
				taken = true;
			}
		};
		return () => taken;
	});
	const release = async (owner: string): Promise<void> => database.transact(leaseStoreName, 'readwrite', store => {
		const read = store.get(key);
		read.onsuccess = () => {
			const current: unknown = read.result;
			if (isLease(current) && current.owner === owner) {
				store.delete(key);
			}
		};
		return () => undefined;
	});
	const hasChannel = hasBroadcastChannel();

	return async <T>(task: () => Promise<T>, signal: AbortSignal): Promise<T> => {
		const owner = ownerId();
		const channel = hasChannel ? new BroadcastChannel(channelName) : undefined;
		try {
			signal.throwIfAborted();
			while (!await take(owner)) {
				await nap(Math.min(pollDelay(), lease), channel, signal);
			}
			signal.throwIfAborted();
		} catch (error) {
			channel?.close();
			// The lease may have been taken just as the signal aborted: give it back.
			await release(owner).catch(() => undefined);
			throw error;
		}
		// Renew at a third of the lease, so a live holder keeps it however long its task takes.
		const renewal = setInterval(() => {
			take(owner).catch(() => undefined);
		}, lease / 3);
		try {
			return await task();
		} finally {
			clearInterval(renewal);
			// A failed release leaves a lease that expires on its own.
			await release(owner).catch(() => undefined);
			channel?.postMessage('released');
			channel?.close();
		}
	};
}
