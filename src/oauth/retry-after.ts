/**
 * Milliseconds a `Retry-After` header value asks to wait (RFC 9110 §10.2.3): `delay-seconds` (`120`) or an
 * HTTP date (`Wed, 21 Oct 2026 07:28:00 GMT`, counted from `now`; a date in the past is 0). `undefined` when
 * the header is missing or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
	if (value === null) {
		return undefined;
	}
	const text = value.trim();
	if (/^\d+$/.test(text)) {
		return Number(text) * 1000;
	}
	// An HTTP date names its day and month in letters; a bare number with a sign or a fraction is not one.
	if (!/[a-z]/i.test(text)) {
		return undefined;
	}
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
