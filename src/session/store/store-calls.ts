import {dev, seeDocs} from '../../utils/dev.js';
import {StoreError} from '../../errors/store-error.js';
import type {TokenRecord, TokenStore} from '../../types/store.js';
import {bounded} from '../../utils/bounded.js';
import {readRecord} from '../../record/record.js';
import {describeKind} from '../../utils/describe.js';
import {noop} from '../../utils/timers.js';

function isThenable(value: unknown): value is PromiseLike<unknown> {
	return typeof (value as {then?: unknown} | null)?.then === 'function';
}

/**
 * Subscribes `onChange` to the store's change reports, when it has `subscribe`; returns what unsubscribes (a
 * no-op without it). A `subscribe` that returns anything but a function is refused with a `TypeError`.
 */
export function subscribeTo(store: TokenStore, onChange: () => void): () => void {
	const unsubscribe: unknown = store.subscribe?.(onChange);
	if (unsubscribe !== undefined && typeof unsubscribe !== 'function') {
		throw new TypeError(dev ? `TokenStore.subscribe: expected it to return a function that unsubscribes, got ${describeKind(unsubscribe)}` : `TokenStore.subscribe: ${seeDocs('TypeError')}`);
	}
	return typeof unsubscribe === 'function' ? () => {
		Reflect.apply(unsubscribe, undefined, []);
	} : noop;
}

/**
 * Reads the store for the first time: the record at once from a synchronous store (`{record}`), else the read,
 * bounded by `timeout` so a store that never answers cannot hang requests. A rejection becomes a
 * `STORE_READ_FAILED` {@link StoreError}; what `get()` throws is thrown as it is (the caller wraps it).
 */
export function readFirst(store: TokenStore, timeout: number): {record: TokenRecord | null} | Promise<TokenRecord | null> {
	const value: unknown = store.get();
	if (!isThenable(value)) {
		return {record: readRecord(value)};
	}
	return bounded(Promise.resolve(value), {timeout}).then(readRecord, (error: unknown) => {
		throw new StoreError('STORE_READ_FAILED', error);
	});
}
