interface LockManagerLike {
	request<T>(name: string, options: {mode: 'exclusive'; signal: AbortSignal}, task: () => Promise<T>): Promise<T>;
}

/**
 * A `TokenStore.lock` over the Web Locks API (`navigator.locks`), shared by every tab of the origin;
 * `undefined` where the API is missing, so the session refreshes without a cross-tab lock.
 */
export function webLock(name: string): (<T>(task: () => Promise<T>, signal: AbortSignal) => Promise<T>) | undefined {
	const locks = (globalThis as {navigator?: {locks?: LockManagerLike}}).navigator?.locks;
	if (!locks || typeof locks.request !== 'function') {
		return undefined;
	}
	return async (task, signal) => locks.request(name, {mode: 'exclusive', signal}, task);
}
