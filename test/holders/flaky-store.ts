import type {TokenStore} from '../../src/index.js';

/** A store whose writes can be made to fail once, for tests of a write that did not land. */
export interface FlakyStore extends TokenStore {
	/** The next write (`set` or `compareAndSet`) throws instead of writing. */
	failNextWrite(): void;
}

/** Wraps `inner` (every method it has), adding {@link FlakyStore.failNextWrite}. */
export function flakyStore(inner: TokenStore): FlakyStore {
	let fail = false;
	const check = (): void => {
		if (fail) {
			fail = false;
			throw new Error('disk full');
		}
	};
	const compareAndSet = inner.compareAndSet?.bind(inner);
	const subscribe = inner.subscribe?.bind(inner);
	const lock = inner.lock?.bind(inner);
	return {
		failNextWrite() {
			fail = true;
		},
		get: () => inner.get(),
		set(record) {
			check();
			return inner.set(record);
		},
		...(compareAndSet && {
			compareAndSet(expected, next) {
				check();
				return compareAndSet(expected, next);
			},
		}),
		...(subscribe && {subscribe}),
		...(lock && {lock}),
	};
}
