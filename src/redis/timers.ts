/** Lets the process exit while only `timer` is pending (Node); nothing elsewhere. */
export function unref(timer: ReturnType<typeof setTimeout>): void {
	// The DOM typings say a timer is a number; in Node it is a Timeout object with unref().
	(timer as {unref?: () => void}).unref?.();
}

/** `milliseconds` plus up to a quarter more, at random: processes that wait together do not wake together. */
export function jittered(milliseconds: number): number {
	return milliseconds + Math.random() * milliseconds / 4;
}
