import {ConfigurationError, type RefreshError} from '../errors/refresh-error.js';

/** The longest `Retry-After` honoured (unless `maxDelay` is longer). */
const retryAfterCap = 900_000; // 15 min

/** How long a machine session waits after a failed attempt before it calls the token endpoint again. */
export interface BackoffSettings {
	/** Milliseconds after the first failure; doubles with each failure in a row (±20 % jitter). */
	readonly initialDelay: number;
	/** The longest wait; a `ConfigurationError` waits this long at once. */
	readonly maxDelay: number;
}

/**
 * Bounded exponential backoff between failed token requests of a machine session: while it runs, a need for
 * a token fails fast with the last error instead of calling the token endpoint; the first need after it tries
 * again. A token endpoint's `Retry-After` (`RefreshError.retryAfter`) is honoured when it asks for longer, up to
 * 15 min (or `maxDelay`, when that is longer).
 */
export class Backoff {
	readonly #settings: BackoffSettings;
	readonly #random: () => number;
	#failures = 0;
	#until = 0;
	#error: RefreshError | undefined;

	constructor(settings: BackoffSettings, random: () => number = Math.random) {
		this.#settings = settings;
		this.#random = random;
	}

	/** Records a failed attempt at `now`. */
	failed(error: RefreshError, now: number): void {
		this.#failures++;
		const {initialDelay, maxDelay} = this.#settings;
		const exponential = error instanceof ConfigurationError ? maxDelay : Math.min(maxDelay, initialDelay * (2 ** (this.#failures - 1)));
		const delay = Math.min(maxDelay, exponential * (0.8 + (0.4 * this.#random())));
		// Retry-After is honoured up to a bound: a server asking for a day would otherwise stop the service.
		const asked = Math.min(error.retryAfter ?? 0, Math.max(maxDelay, retryAfterCap));
		this.#until = now + Math.max(delay, asked);
		this.#error = error;
	}

	/** A token was obtained: the next failure starts from `initialDelay` again. */
	succeeded(): void {
		this.#failures = 0;
		this.#until = 0;
		this.#error = undefined;
	}

	/** The error to fail fast with at `now`, while backing off. */
	blocking(now: number): RefreshError | undefined {
		return now < this.#until ? this.#error : undefined;
	}
}
