/** Limits for {@link bounded}. */
export interface Bounds {
	/** Milliseconds before rejecting with `onTimeout()`. */
	timeout?: number;
	onTimeout?: () => Error;
	/** Rejects with the signal's reason when it aborts first. */
	signal?: AbortSignal | undefined;
}

/** Settles like `promise`, or rejects at the timeout or on abort, so awaiting a user callback can never hang. */
export async function bounded<T>(promise: Promise<T>, {timeout, onTimeout, signal}: Bounds): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let onAbort: (() => void) | undefined;
	const limit = new Promise<never>((_resolve, reject) => {
		if (timeout !== undefined) {
			timer = setTimeout(() => {
				reject(onTimeout?.() ?? new Error(`no answer within ${timeout} ms`));
			}, timeout);
		}
		if (signal) {
			onAbort = () => {
				reject(signal.reason as Error);
			};
			signal.addEventListener('abort', onAbort, {once: true});
		}
	});
	try {
		if (signal?.aborted) {
			// Given up before it settles, as the race gives it up when the signal aborts later: its failure (a
			// command that lands after the wait ended) is then nobody's to report, never an unhandled rejection.
			promise.catch(() => undefined);
			signal.throwIfAborted();
		}
		return await Promise.race([promise, limit]);
	} finally {
		clearTimeout(timer);
		if (onAbort) {
			signal?.removeEventListener('abort', onAbort);
		}
	}
}
