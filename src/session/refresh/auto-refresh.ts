import type {AutoRefresh, RenewalHost, RenewalTimer} from '../../types/auto-refresh.js';
import {unref} from '../../utils/timers.js';

/** The longest single timer: the wall clock is looked at again at least this often (timers stall in sleep and hidden tabs). */
const checkEvery = 30_000;
/** Catch-up events (`visibilitychange`, `pageshow`, `online`) act at most this often. */
const catchUpEvery = 5000;
/** Backoff after a failed renewal: from 30 s, doubling, up to 16 min; never past the hard expiry. */
const firstRetry = 30_000;
const lastRetry = 960_000; // 16 min

type Target = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

interface Environment {
	document?: Target & {visibilityState?: string};
	addEventListener?: EventTarget['addEventListener'];
	removeEventListener?: EventTarget['removeEventListener'];
}

/**
 * One session's renewal without a request (see {@link autoRefresh}): a timer of at most 30 s at a time against
 * the wall clock, catch-ups on `visibilitychange`, `pageshow` and `online` (at most once per 5 s), nothing while
 * the page is hidden, a backoff after a failure (30 s doubling to 16 min, never past the hard expiry).
 */
class Renewal implements RenewalTimer {
	readonly #host: RenewalHost;
	readonly #environment = globalThis as Environment;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#failures = 0;
	#retryAt = 0;
	#lastCatchUp = Number.NEGATIVE_INFINITY;
	#running = false;
	#stopped = false;
	/** A catch-up event: acts unless one already started a renewal in the last few seconds. */
	readonly #catchUp = (): void => {
		const now = this.#host.now();
		if (now - this.#lastCatchUp < catchUpEvery) {
			// Throttled: no renewal now, but the timer must still run (it may have stopped while hidden).
			this.schedule();
		} else if (this.#tick()) {
			this.#lastCatchUp = now;
		}
	};

	constructor(host: RenewalHost) {
		this.#host = host;
		this.#environment.document?.addEventListener('visibilitychange', this.#catchUp);
		this.#environment.addEventListener?.('pageshow', this.#catchUp);
		this.#environment.addEventListener?.('online', this.#catchUp);
	}

	/** Looks again at when the next renewal is due (call it whenever the tokens change). */
	schedule(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		const dueAt = this.#host.dueAt();
		if (this.#stopped || this.#running || this.#hidden() || dueAt === null) {
			return;
		}
		const delay = Math.min(Math.max(dueAt, this.#retryAt) - this.#host.now(), checkEvery);
		this.#timer = setTimeout(() => {
			this.#tick();
		}, Math.max(0, delay));
		unref(this.#timer);
	}

	/** Removes the timer and the event listeners. */
	stop(): void {
		this.#stopped = true;
		clearTimeout(this.#timer);
		this.#environment.document?.removeEventListener('visibilitychange', this.#catchUp);
		this.#environment.removeEventListener?.('pageshow', this.#catchUp);
		this.#environment.removeEventListener?.('online', this.#catchUp);
	}

	#hidden(): boolean {
		return this.#environment.document?.visibilityState === 'hidden';
	}

	/** Renews when due (and allowed); says whether it started a renewal. */
	#tick(): boolean {
		const dueAt = this.#host.dueAt();
		const now = this.#host.now();
		if (this.#stopped || this.#running || this.#hidden() || dueAt === null || now < dueAt || now < this.#retryAt) {
			this.schedule();
			return false;
		}
		this.#running = true;
		this.#host.renew().then(() => {
			this.#failures = 0;
			this.#retryAt = 0;
		}, () => {
			this.#failures++;
			const after = this.#host.now();
			const expiresAt = this.#host.expiresAt();
			this.#retryAt = after + Math.min(lastRetry, firstRetry * (2 ** (this.#failures - 1)));
			if (expiresAt !== null && expiresAt > after) {
				this.#retryAt = Math.min(this.#retryAt, expiresAt);
			}
		}).finally(() => {
			this.#running = false;
			this.schedule();
		});
		return true;
	}
}

/**
 * Renews the session's token in its refresh window even when no request asks for it, so the first request after
 * a laptop wakes or a tab returns does not wait. Pass it as the session's `autoRefresh` option; a session without
 * it (the default) carries none of this code. Measured against the wall clock in steps of at most 30 s (never
 * one long timer); catches up on `visibilitychange`, `pageshow` and `online`; does nothing while the page is
 * hidden; after a failure (a network error after wake) it backs off from 30 s to 16 min, never past the token's
 * expiry, and never signs out for it. A refresh that resolves `null` still ends the session. `dispose()` stops it.
 *
 * @example
 * ```ts
 * import { autoRefresh, createAuthSession } from 'ky-auth';
 *
 * const session = createAuthSession({ refresh: callTokenEndpoint, autoRefresh });
 * ```
 */
export const autoRefresh: AutoRefresh = /* @__PURE__ */ Object.freeze({
	kind: 'autoRefresh',
	start: (host: RenewalHost): RenewalTimer => new Renewal(host),
});
