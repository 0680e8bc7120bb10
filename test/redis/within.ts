/**
 * Settles like `promise`, or rejects naming `what` when it has not settled within `limit` ms: a per-await limit,
 * generous, so a slow machine only makes a test slow, and a hang fails with the step that hung rather than with
 * the test's own timeout (nothing is asserted about time).
 */
export async function within<T>(promise: Promise<T>, limit: number, what: string): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const expired = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
			reject(new Error(`${what}: no result within ${limit} ms`));
		}, limit);
	});
	try {
		return await Promise.race([promise, expired]);
	} finally {
		clearTimeout(timer);
	}
}
