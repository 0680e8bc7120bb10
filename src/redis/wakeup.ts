/**
 * Where a lock waiter sleeps between two attempts: until {@link Wakeup.wake} (a message on the channel), the
 * timer, or the abort of its signal. A wake that comes while the waiter is busy (its attempt in flight) is kept,
 * so the next sleep ends at once instead of missing it.
 */
export class Wakeup {
	#pending = false;
	#resolve: (() => void) | undefined;

	wake(): void {
		const resolve = this.#resolve;
		if (resolve) {
			this.#resolve = undefined;
			resolve();
		} else {
			this.#pending = true;
		}
	}

	/** Forgets earlier wakes: the attempt about to start sees what they announced. */
	reset(): void {
		this.#pending = false;
	}

	/** Sleeps up to `milliseconds`; rejects with the signal's reason when it aborts. */
	async sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
		signal.throwIfAborted();
		if (this.#pending) {
			this.#pending = false;
			return;
		}
		let timer: ReturnType<typeof setTimeout> | undefined;
		let onAbort: (() => void) | undefined;
		try {
			await new Promise<void>((resolve, reject) => {
				this.#resolve = resolve;
				timer = setTimeout(resolve, milliseconds);
				onAbort = () => {
					reject(signal.reason as Error);
				};
				signal.addEventListener('abort', onAbort, {once: true});
			});
		} finally {
			this.#resolve = undefined;
			clearTimeout(timer);
			if (onAbort) {
				signal.removeEventListener('abort', onAbort);
			}
		}
	}
}
