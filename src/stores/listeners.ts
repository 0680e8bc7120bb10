import {dev, seeDocs} from '../utils/dev.js';
import {callIsolated} from '../utils/isolated.js';

/**
 * A set of change listeners, each called in isolation: one that throws never breaks a write or the others.
 * Each `add` is its own subscription: the same function added twice is called twice and needs two unsubscribes.
 */
export class Listeners {
	readonly #entries = new Set<{readonly listener: () => void}>();

	/** How many subscriptions are open. */
	get size(): number {
		return this.#entries.size;
	}

	add(listener: () => void): () => void {
		if (typeof listener !== 'function') {
			throw new TypeError(dev ? `subscribe: expected a function, got ${typeof listener}` : `subscribe: ${seeDocs('TypeError')}`);
		}
		const entry = {listener};
		this.#entries.add(entry);
		return () => {
			this.#entries.delete(entry);
		};
	}

	notify(): void {
		for (const {listener} of [...this.#entries]) {
			callIsolated(listener);
		}
	}
}
