import {originOf} from './htu.js';

/** A delta-seconds value (RFC 9111 §1.2.2). */
const deltaSeconds = /^\d+$/;

/**
 * What the server's clock reads now, as told by a response: its `Date` (RFC 9110 §6.6.1, when the response was
 * generated) plus its `Age` (RFC 9111 §5.1, how long a cache held it; a cached answer's `Date` is old).
 * `undefined` when `Date` is absent or not a date.
 */
function serverTime(response: Response): number | undefined {
	const date = response.headers.get('date');
	if (date === null) {
		return undefined;
	}
	const time = Date.parse(date);
	if (!Number.isFinite(time)) {
		return undefined;
	}
	const age = response.headers.get('age')?.trim();
	return age !== undefined && deltaSeconds.test(age) ? time + Number(age) * 1000 : time;
}

/**
 * How far each server's clock is from ours, in milliseconds (positive: the server is ahead), estimated from
 * the `Date` of its responses: `serverDate − local now` when the response arrives. The latest estimate wins,
 * so a clock that is corrected is followed.
 *
 * Resolution: `Date` has whole seconds and is stamped before the response travels, so an estimate is up to
 * about one second (plus the response's transit time) behind the server: a proof's `iat` may lag the
 * server's clock by that much, well inside the window servers accept (RFC 9449 §11.1 suggests seconds to
 * minutes). What the estimate removes is a skew of minutes or hours, which would get every proof refused.
 */
export class ServerClock {
	readonly #offsets = new Map<string, number>();
	#latest = 0;

	/** Reads the response's `Date` (ignored when absent or unparseable). */
	observe(response: Response, url: string): void {
		const time = serverTime(response);
		const origin = originOf(url);
		if (time === undefined || origin === undefined) {
			return;
		}
		const offset = time - Date.now();
		this.#offsets.set(origin, offset);
		this.#latest = offset;
	}

	/** The offset of `origin`'s clock; for an origin not heard from yet, the latest estimate of any (servers of one deployment share a clock more often than not). */
	offset(origin: string): number {
		return this.#offsets.get(origin) ?? this.#latest;
	}
}
