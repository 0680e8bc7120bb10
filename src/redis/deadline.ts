/**
 * Settles like `reply`, or rejects with `late()` when it has not settled `timeout` milliseconds after the call.
 *
 * The deadline is checked once more after a turn of I/O (a 0 ms timer, which runs after the I/O that is ready
 * now): when the process was too busy to run its timers on time (a CPU-starved host), a reply that arrived
 * meanwhile is read before the deadline is judged, so a slow process does not take a prompt Redis for a hung
 * one. A timed-out lock attempt is refused as permission to refresh; a false one costs a failed refresh.
 */
export async function withinDeadline<T>(reply: Promise<T>, timeout: number, late: () => Error): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const deadline = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
			timer = setTimeout(() => {
				reject(late());
			}, 0);
		}, timeout);
	});
	try {
		return await Promise.race([reply, deadline]);
	} finally {
		clearTimeout(timer);
	}
}
