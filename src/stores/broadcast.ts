/** Whether `BroadcastChannel` exists here (every current browser; not Safari before 15.4). */
export function hasBroadcastChannel(): boolean {
	return typeof (globalThis as {BroadcastChannel?: unknown}).BroadcastChannel === 'function';
}
