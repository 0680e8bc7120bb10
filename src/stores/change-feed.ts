import {hasBroadcastChannel} from './broadcast.js';
import {Listeners} from './listeners.js';
/** The message a store posts after each successful write: it carries no tokens, only "look again". */
const changed = 'changed';



/**
 * The `subscribe` side of a shared store: after every successful write the writer {@link announce}s it,
 * which calls this instance's own listeners directly and posts on a `BroadcastChannel`, so other tabs and
 * other store instances in this tab (every channel of the same name) call theirs. The channel is open
 * only while someone listens. Without `BroadcastChannel`, only this instance's listeners are called.
 */
export class ChangeFeed {
	readonly #name: string;
	readonly #listeners = new Listeners();
	#channel: BroadcastChannel | undefined;

	/** @param name - The channel name, shared by every holder of the same stored record. */
	constructor(name: string) {
		this.#name = name;
	}

	/** Adds `listener`; returns the function that removes it (and closes the channel after the last one). */
	subscribe(listener: () => void): () => void {
		const remove = this.#listeners.add(listener);
		this.#open();
		let active = true;
		return () => {
			if (!active) {
				return;
			}
			active = false;
			remove();
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
		this.#listeners.notify();
	}
}
