/** A signal of a {@link Lifetime}, made for one user, and the way to give it back. */
export interface LifetimeSignal {
	/** Aborted (with the lifetime's reason) when the lifetime ends. */
	readonly signal: AbortSignal;
	/** Stops following the lifetime: call it once the signal is no longer used. */
	readonly release: () => void;
}

/**
 * Something that ends once (a session's epoch, a store access until disposed), holding no `AbortController` of its
 * own: each user gets a signal made where it asks ({@link signal}), so no abort signal outlives the work it was made
 * for or is shared by two of them. Where a platform ties an `AbortController` to the request that made it (Cloudflare
 * Workers: made at module scope it is refused, "Disallowed operation called within global scope"; aborted or passed
 * to `AbortSignal.any` by another request it throws "Cannot perform I/O on behalf of a different request",
 * `RefcountedCanceler`), a lifetime made at module scope and ended by any request still works: each signal is
 * aborted at once where that is allowed (everywhere but there), else through a promise made with the signal, whose
 * continuation runs in the context of the request that made it.
 */
export class Lifetime {
	/** How each signal still followed is aborted. */
	readonly #followers = new Set<(reason: Error) => void>();
	#reason: Error | undefined;

	/** Whether {@link end} was called. */
	get ended(): boolean {
		return this.#reason !== undefined;
	}

	/** A new signal, made here, aborted when the lifetime ends (already aborted if it has). */
	signal(): LifetimeSignal {
		const controller = new AbortController();
		let deliver!: (reason: Error) => void;
		void new Promise<Error>(resolve => {
			deliver = resolve;
		}).then(reason => {
			controller.abort(reason);
		});
		const follower = (reason: Error): void => {
			try {
				controller.abort(reason);
			} catch {
				// Made by another request (Cloudflare Workers): aborted in that request's own context instead, by a
				// promise made here.
				deliver(reason);
			}
		};
		if (this.#reason === undefined) {
			this.#followers.add(follower);
		} else {
			controller.abort(this.#reason);
		}
		return {
			signal: controller.signal,
			release: () => {
				this.#followers.delete(follower);
			},
		};
	}

	/** Ends the lifetime: aborts every signal still followed with `reason`. */
	end(reason: Error): void {
		if (this.#reason !== undefined) {
			return;
		}
		this.#reason = reason;
		const followers = [...this.#followers];
		this.#followers.clear();
		for (const follower of followers) {
			follower(reason);
		}
	}
}
