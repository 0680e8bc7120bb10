/** Lets the process exit while only `timer` is pending (Node); nothing elsewhere. */
export function unref(timer: ReturnType<typeof setTimeout>): void {
	// The DOM typings say a timer is a number; in Node it is a Timeout object with unref().
	(timer as {unref?: () => void}).unref?.();
}

/** Does nothing: for callbacks and rejections that are handled elsewhere. */
export const noop = (): undefined => undefined;

