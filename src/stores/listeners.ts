import {callIsolated} from '../utils/isolated.js';

/** A set of change listeners, each called in isolation: one that throws never breaks a write or the others. */
export class Listeners {
	readonly #listeners = new Set<() => void>();

	add(listener: () => void): () => void {
		if (typeof listener !== 'function') {
			throw new TypeError(`subscribe: expected a function, got ${typeof listener}`);
		}
		this.#listeners.add(listener);
		return () => {
			this.#listeners.delete(listener);
		};
	}

	notify(): void {
		for (const listener of [...this.#listeners]) {
			callIsolated(listener);
		}
	}
}
