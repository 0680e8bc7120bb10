/** A promise with its resolve/reject exposed, to control when a fake refresh answers. */
export interface Deferred<T> {
	promise: Promise<T>;
	resolve(value: T): void;
	reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return {promise, resolve, reject};
}

/** Lets pending microtasks and I/O callbacks run (not a timing assertion). */
export async function flush(): Promise<void> {
	for (let index = 0; index < 5; index++) {
		await new Promise(resolve => setTimeout(resolve, 0));
	}
}
