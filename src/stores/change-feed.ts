import {callIsolated} from '../utils/isolated.js';
/** The message a store posts after each successful write: it carries no tokens, only "look again". */
const changed = 'changed';

/** Whether `BroadcastChannel` exists here (every current browser; not Safari before 15.4). */
function hasBroadcastChannel(): boolean {
	return typeof (globalThis as {BroadcastChannel?: unknown}).BroadcastChannel === 'function';
}


/**
 * The `subscribe` side of a shared store: after every successful write the writer {@link announce}s it,
 * which calls this instance's own listeners directly and posts on a `BroadcastChannel`, so other tabs and
 * other store instances in this tab (every channel of the same name) call theirs. The channel is open
 * only while someone listens. Without `BroadcastChannel`, only this instance's listeners are called.
 */
export class ChangeFeed {
	readonly #name: string;
	readonly #listeners = new Set<() => void>();
	#channel: BroadcastChannel | undefined;

	/** @param name - The channel name, shared by every holder of the same stored record. */
	constructor(name: string) {
		this.#name = name;
	}

	/** Adds `listener`; returns the function that removes it (and closes the channel after the last one). */
	subscribe(listener: () => void): () => void {
		if (typeof listener !== 'function') {
			throw new TypeError(`subscribe: expected a function, got ${typeof listener}`);
		}
		// Registering the same function twice must still need two unsubscribes: wrap it.
		const entry = (): void => listener();
		this.#listeners.add(entry);
		this.#open();
		let active = true;
		return () => {
			if (!active) {
				return;
			}
			active = false;
			this.#listeners.delete(entry);
			if (this.#listeners.size === 0) {
				this.#channel?.close();
				this.#channel = undefined;
			}
		};
	}

	/** Tells every listener, here and in other tabs, that the stored record changed. */
	announce(): void {
		if (hasBroadcastChannel()) {
			if (this.#channel) {
				this.#channel.postMessage(changed);
			} else {
				// Messages already posted are delivered after the sender closes.
				const channel = new BroadcastChannel(this.#name);
				channel.postMessage(changed);
				channel.close();
			}
		}
		this.#notify();
	}

	#open(): void {
		if (this.#channel || !hasBroadcastChannel()) {
			return;
		}
		const channel = new BroadcastChannel(this.#name);
		channel.onmessage = (event: MessageEvent) => {
			if (event.data === changed) {
				this.#notify();
			}
		};
		this.#channel = channel;
	}

	#notify(): void {
		for (const listener of [...this.#listeners]) {
			callIsolated(listener);
		}
	}
}
