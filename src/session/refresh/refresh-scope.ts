import {browserProduction} from '../../utils/dev.js';

/** Marks the asynchronous context of a running refresh, so requests made from inside it are recognised. */
export interface RefreshScope {
	/** Runs `task` inside the scope. */
	run<T>(task: () => T): T;
	/** Whether the caller runs inside this scope. Always `false` where it cannot be known (browsers). */
	active(): boolean;
}

interface AsyncLocalStorageLike<T> {
	run<R>(store: T, task: () => R): R;
	getStore(): T | undefined;
}

type AsyncLocalStorageConstructor = new <T>() => AsyncLocalStorageLike<T>;

function loadAsyncLocalStorage(): AsyncLocalStorageConstructor | undefined {
	const processLike = (globalThis as {process?: {getBuiltinModule?: (id: string) => unknown}}).process;
	const hooks = processLike?.getBuiltinModule?.('node:async_hooks') as {AsyncLocalStorage?: AsyncLocalStorageConstructor} | undefined;
	return hooks?.AsyncLocalStorage;
}

/**
 * Creates a refresh scope for one session. On Node (and runtimes with `process.getBuiltinModule`)
 * it uses `AsyncLocalStorage`; elsewhere it cannot see through `await` and reports `false`. The browser
 * production build, which only browsers load, leaves the `AsyncLocalStorage` case out (see `browserProduction`).
 */
export function createRefreshScope(): RefreshScope {
	const Storage = browserProduction ? undefined : loadAsyncLocalStorage();
	if (!Storage) {
		return {run: task => task(), active: () => false};
	}
	const storage = new Storage<true>();
	return {
		run: task => storage.run(true, task),
		active: () => storage.getStore() === true,
	};
}
