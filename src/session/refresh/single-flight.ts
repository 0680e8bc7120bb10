import PQueue from 'p-queue';
import type {RefreshReason} from '../../types/tokens.js';
import type {CredentialGrant} from '../../types/credentials.js';
import {ENDED} from '../tokens/grants.js';
import {noop} from '../../utils/timers.js';
import {bounded} from '../../utils/bounded.js';

/** After a failed background refresh, wait this long before another background attempt. */
const backgroundCooldown = 5000;


/**
 * One refresh at a time for one session: joins callers onto the refresh in flight, keeps requests that cannot go
 * out before it ends in a queue (paused while it runs), each abortable by its own signal, and pauses background
 * refreshes for a while after one failed.
 *
 * The queue never sees a waiter's signal: each waiter bounds its own wait. On Cloudflare Workers a request's
 * `AbortSignal` cannot be read from another request ("Cannot perform I/O on behalf of a different request",
 * `RefcountedCanceler`), and the queue is released by the request that ran the refresh: given the signals, it read
 * them there, failed on the first waiter of another request, and every such waiter hung.
 */
export class RefreshSingleFlight {
	readonly #run: (reason: RefreshReason) => Promise<CredentialGrant>;
	readonly #changed: () => void;
	readonly #now: () => number;
	/** Requests waiting for the refresh in flight: paused while it runs, released when it settles or is forgotten. */
	readonly #waiting = new PQueue({concurrency: Number.POSITIVE_INFINITY});
	/** The refresh in flight as its waiters see it: its result, or `ended` once {@link reset} forgets it. */
	#inflight: Promise<CredentialGrant> | null = null;
	/** Ends the waiters of the refresh in flight with `ended` (one settle per refresh: nothing builds up). */
	#forget: () => void = noop;
	#resets = 0;
	#backgroundPausedUntil = 0;

	/**
	 * @param run - Performs one refresh (the session's side: runner, settle, failure events).
	 * @param changed - Called when a refresh starts or ends, to publish the snapshot.
	 */
	constructor(run: (reason: RefreshReason) => Promise<CredentialGrant>, changed: () => void, now: () => number) {
		this.#run = run;
		this.#changed = changed;
		this.#now = now;
	}

	/** Whether a refresh is in flight. */
	get running(): boolean {
		return this.#inflight !== null;
	}

	/** Joins the refresh in flight, or starts one. */
	start(reason: RefreshReason): Promise<CredentialGrant> {
		if (this.#inflight) {
			return this.#inflight;
		}
		const resets = this.#resets;
		const run = this.#run(reason)
			.catch((error: unknown) => {
				if (reason === 'expiring') {
					this.#backgroundPausedUntil = this.#now() + backgroundCooldown;
				}
				throw error;
			})
			.finally(() => {
				if (resets === this.#resets) {
					this.#inflight = null;
					this.#forget = noop;
					this.#changed();
					this.#waiting.start();
				}
			});
		const forgotten = new Promise<CredentialGrant>(resolve => {
			this.#forget = () => {
				resolve(ENDED);
			};
		});
		const seen = Promise.race([run, forgotten]);
		seen.catch(noop);
		this.#inflight = seen;
		this.#changed();
		return seen;
	}

	/** Waits for the refresh that replaces an expired or rejected token; an aborted signal leaves at once. */
	async wait(reason: RefreshReason, signal?: AbortSignal): Promise<CredentialGrant> {
		const refreshing = this.start(reason);
		this.#waiting.pause();
		// No signal for the queue (see the class): the wait itself is bounded by this request's signal.
		return bounded(this.#waiting.add(async () => refreshing), {signal});
	}

	/** Starts a background refresh unless one is in flight or a failed one paused them. */
	background(): void {
		if (!this.#inflight && this.#now() >= this.#backgroundPausedUntil) {
			this.start('expiring').catch(noop);
		}
	}

	/** Forgets the refresh in flight (a new epoch): its waiters end at once with `ended`. */
	reset(): void {
		this.#forget();
		this.#forget = noop;
		this.#resets++;
		this.#inflight = null;
		this.#backgroundPausedUntil = 0;
		this.#waiting.start();
	}
}
