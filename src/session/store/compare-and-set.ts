import {matchesVersion, readRecord} from '../../record/record.js';
import type {TokenRecord, TokenRecordVersion, TokenStore} from '../../types/store.js';
import {unref} from '../../utils/timers.js';
import {commitTimeout, UnansweredWrite} from './writes-in-flight.js';

/** The first pause before an unanswered commit is tried again (it doubles up to `commitTimeout`). */
const firstRetry = 1000;

/** Resolves after `ms` without keeping a Node process alive for it. */
async function pauseFor(ms: number): Promise<void> {
	return new Promise(resolve => {
		unref(setTimeout(resolve, ms));
	});
}

/**
 * Writes `next` only if `store` still holds the version `expected`; resolves whether it wrote. A store without
 * `compareAndSet` gets read-compare-write: atomic only under the store's lock, as docs/stores.md says.
 */
export async function compareAndSet(store: TokenStore, expected: TokenRecordVersion, next: TokenRecord | null): Promise<boolean> {
	if (store.compareAndSet) {
		return store.compareAndSet(expected, next);
	}
	if (!matchesVersion(readRecord(await store.get()), expected)) {
		return false;
	}
	await store.set(next);
	return true;
}

/**
 * Runs `attempt` until the store answers it: an attempt that fails with {@link UnansweredWrite} (it may have
 * landed or not) is made again after a pause of 1 s, doubling up to `commitTimeout`; any other failure is
 * `failed(error)`. Nothing stops it: the pauses are unref'd, so they keep no Node process alive.
 */
export async function untilAnswered<T>(attempt: () => Promise<T>, failed: (error: unknown) => Error): Promise<T> {
	for (let pause = firstRetry; ; pause = Math.min(pause * 2, commitTimeout)) {
		try {
			return await attempt();
		} catch (error) {
			if (!(error instanceof UnansweredWrite)) {
				throw failed(error);
			}
		}
		await pauseFor(pause);
	}
}
