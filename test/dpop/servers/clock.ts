/**
 * A test server's own clock: the machine's clock shifted by an offset, so a test can run a server whose
 * clock is minutes ahead of (or behind) the client's. Everything a DPoP server decides with time (the `iat`
 * window, token expiry) and the `Date` response header use this clock.
 */
export interface ServerClock {
	/** The server's time in milliseconds since the epoch: `Date.now() + offsetMs`. */
	now(): number;
	/** The current offset from the machine's clock, in milliseconds. */
	readonly offsetMs: number;
	/** Moves the server's clock to `Date.now() + offsetMs`. */
	setOffset(offsetMs: number): void;
	/** The server's time as an HTTP `Date` header value (IMF-fixdate, RFC 9110 §5.6.7). */
	httpDate(): string;
}

/** Throws a TypeError unless `value` is a finite number of milliseconds. */
export function checkOffset(name: string, value: unknown): number {
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw new TypeError(`${name}: expected a finite number of milliseconds, got ${typeof value === 'number' ? String(value) : typeof value}`);
	}
	return value;
}

/** A clock `offsetMs` milliseconds ahead of the machine's (behind when negative). */
export function createServerClock(offsetMs = 0): ServerClock {
	let offset = checkOffset('clockOffsetMs', offsetMs);
	const clock: ServerClock = {
		now: () => Date.now() + offset,
		get offsetMs() {
			return offset;
		},
		setOffset(next: number) {
			offset = checkOffset('setClockOffset', next);
		},
		httpDate: () => new Date(clock.now()).toUTCString(),
	};
	return clock;
}
