/** Lets the process exit while only `timer` is pending (Node); nothing elsewhere. */
export function unref(timer: ReturnType<typeof setTimeout>): void {
	// The DOM typings say a timer is a number; in Node it is a Timeout object with unref().
	(timer as {unref?: () => void}).unref?.();
}

/** Does nothing: for callbacks and rejections that are handled elsewhere. */
export const noop = (): undefined => undefined;

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts (the timer is cleared). */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
	signal.throwIfAborted();
	return new Promise((resolve, reject) => {
		const onAbort = (): void => {
			clearTimeout(timer);
			reject(signal.reason as Error);
		};
		const timer = setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal.addEventListener('abort', onAbort, {once: true});
	});
}
