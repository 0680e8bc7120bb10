import {jittered} from './jitter.js';
import {unref} from '../utils/timers.js';

/**
 * While Redis is unreachable and someone listens to the store, checks every `interval` (jittered) whether it
 * answers again, so subscribers are told to read again soon after it is back, even when nothing else is sent.
 * Its timer never keeps a process alive.
 */
export class RecoveryProbe {
	readonly #ping: () => Promise<unknown>;
	readonly #interval: number;
	readonly #wanted: () => boolean;
	#timer: ReturnType<typeof setTimeout> | undefined;

	/**
	 * @param ping - A command whose success reports Redis as back.
	 * @param wanted - Whether to keep checking (degraded, and someone listens).
	 */
	constructor(ping: () => Promise<unknown>, interval: number, wanted: () => boolean) {
		this.#ping = ping;
		this.#interval = interval;
		this.#wanted = wanted;
	}

	/** Checks after one interval, unless a check is pending already. */
	schedule(): void {
		if (this.#timer !== undefined || !this.#wanted()) {
			return;
		}
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			this.check();
		}, jittered(this.#interval));
		unref(this.#timer);
	}

	/** Checks now; schedules the next check while still wanted. */
	check(): void {
		if (!this.#wanted()) {
			return;
		}
		this.#ping().then(() => {
			this.schedule();
		}, () => {
			this.schedule();
		});
	}
}
