/** What an {@link AutoRefresh} is given by its session. */
export interface RenewalHost {
	/** The session's clock, in epoch milliseconds. */
	now(): number;
	/** When the held token should be renewed (epoch ms), or `null` when there is nothing to renew. */
	dueAt(): number | null;
	/** The held token's hard expiry (epoch ms), or `null`. */
	expiresAt(): number | null;
	/** Refreshes now (joining a refresh in flight); rejects with the failure. */
	renew(): Promise<unknown>;
}

/** A running automatic renewal, owned by one session. */
export interface RenewalTimer {
	/** Looks again at when the next renewal is due (the session calls it whenever its tokens change). */
	schedule(): void;
	/** Removes the timer and the event listeners (the session calls it on `dispose()`). */
	stop(): void;
}

/**
 * The type of the `autoRefresh` export, the value of the `autoRefresh` session option. A session calls
 * `start` once, with itself as host; applications never call it.
 */
export interface AutoRefresh {
	/** Names the export (the session option checks it). */
	readonly kind: 'autoRefresh';
	/** Starts renewing for `host`. */
	start(host: RenewalHost): RenewalTimer;
}
