import type {AuthSnapshot} from '../types/session.js';

/** Holds the current immutable snapshot and notifies subscribers when a new one replaces it. */
export class SnapshotHolder {
	#current: AuthSnapshot = Object.freeze({status: 'signedOut', expiresAt: null, ready: false, error: null});
	readonly #listeners = new Set<() => void>();

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
		for (const listener of [...this.#listeners]) {
			try {
				listener();
			} catch (error) {
				reportListenerError(error);
			}
		}
	}

	subscribe(listener: () => void): () => void {
		if (typeof listener !== 'function') {
			throw new TypeError(`subscribe: expected a function, got ${typeof listener}`);
		}
		this.#listeners.add(listener);
		return () => {
			this.#listeners.delete(listener);
		};
	}
}

/** A throwing listener must not break the session; surface its error asynchronously instead. */
function reportListenerError(error: unknown): void {
	queueMicrotask(() => {
		throw error;
	});
}
