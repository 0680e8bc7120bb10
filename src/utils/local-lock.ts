import {bounded} from './bounded.js';

/**
 * An exclusive lock within one JavaScript realm: tasks run one at a time, in the order they asked.
 * A waiting task whose signal aborts leaves the line at once (rejecting with the abort reason).
 */
export function localLock(): <T>(task: () => Promise<T>, signal: AbortSignal) => Promise<T> {
	let tail: Promise<unknown> = Promise.resolve();
	return async <T>(task: () => Promise<T>, signal: AbortSignal): Promise<T> => {
		const previous = tail;
		let release!: () => void;
		tail = new Promise<void>(resolve => {
			release = resolve;
		});
		try {
			// The previous holder's turn ends, or the signal aborts (at once if it already has).
			await bounded(previous, {signal});
			return await task();
		} finally {
			// Released when the task settles, or at once when the wait was aborted (after the previous holder).
			void previous.then(release);
		}
	};
}
