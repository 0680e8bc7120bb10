import {Listeners} from '../stores/listeners.js';
import type {AuthSnapshot} from '../types/session.js';

/** Holds the current immutable snapshot and notifies subscribers (each in isolation) when a new one replaces it. */
export class SnapshotHolder {
	#current: AuthSnapshot = Object.freeze({status: 'signedOut', expiresAt: null, ready: false, error: null});
	readonly #listeners = new Listeners();

	get current(): AuthSnapshot {
		return this.#current;
	}

	/** Replaces the snapshot when any field differs; listeners run only then. */
	update(next: AuthSnapshot): void {
		const current = this.#current;
		if (current.status === next.status && current.expiresAt === next.expiresAt
			&& current.ready === next.ready && current.error === next.error) {
			return;
		}
		this.#current = Object.freeze({...next});
		this.#listeners.notify();
	}

	subscribe(listener: () => void): () => void {
		return this.#listeners.add(listener);
	}
}
