import {dev} from '../../utils/dev.js';
import {bounded} from '../../utils/bounded.js';
import {noop} from '../../utils/timers.js';

/** How long a refresh's commit may take past the refresh timeout (the refresh token is spent by then). */
export const commitTimeout = 30_000;

/** A write the store has not answered in time: it may have landed or not, so the store is not known to be behind. */
export class UnansweredWrite extends Error {}

/**
 * One holder's store writes in flight. A read waits for them first: an asynchronous store may answer a read made
 * before a write of ours lands with what that write replaces, and such an answer must never be taken for news
 * over our newer decision (a sign-out undone, say). Each write counts until it settles, or until its limit has
 * passed: a write the store never answers then fails as {@link UnansweredWrite}, and nobody waits for it for ever.
 */
export class WritesInFlight {
	readonly #writing = new Set<Promise<void>>();
	readonly #onIdle: () => void;

	/** @param onIdle - Called whenever a write settles (or is given up on). */
	constructor(onIdle: () => void) {
		this.#onIdle = onIdle;
	}

	/** Whether no write of this holder is in flight. */
	get idle(): boolean {
		return this.#writing.size === 0;
	}

	/** Resolves once no write is in flight, those started meanwhile included. */
	async settled(): Promise<void> {
		while (this.#writing.size > 0) {
			await Promise.all(this.#writing);
		}
	}

	/** Counts `write` until it settles or `limit` ms have passed (then it rejects with {@link UnansweredWrite}). */
	async track<T>(write: T | PromiseLike<T>, limit: number): Promise<T> {
		const answer = bounded(Promise.resolve(write), {timeout: limit, onTimeout: () => new UnansweredWrite(dev ? `the store did not answer a write within ${limit} ms` : '')});
		const done = answer.then(noop, noop);
		this.#writing.add(done);
		try {
			return await answer;
		} finally {
			this.#writing.delete(done);
			this.#onIdle();
		}
	}
}
