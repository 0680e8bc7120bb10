import {describe, expect, it} from 'vitest';
import {parseRetryAfter} from '../../src/oauth/retry-after.js';

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-11-20T10:00:00Z');

	it('reads delay-seconds as milliseconds', () => {
		expect(parseRetryAfter('0', now)).toBe(0);
		expect(parseRetryAfter('120', now)).toBe(120_000);
		expect(parseRetryAfter(' 5 ', now)).toBe(5000);
	});

	it('reads an HTTP date relative to now; a past date is 0', () => {
		expect(parseRetryAfter('Fri, 20 Nov 2026 10:01:00 GMT', now)).toBe(60_000);
		expect(parseRetryAfter('Friday, 20-Nov-26 10:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('Fri, 20 Nov 2026 09:00:00 GMT', now)).toBe(0);
	});

	it('ignores what it cannot read', () => {
		expect(parseRetryAfter(null, now)).toBeUndefined();
		expect(parseRetryAfter('', now)).toBeUndefined();
		expect(parseRetryAfter('-5', now)).toBeUndefined();
		expect(parseRetryAfter('1.5', now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
	});
});
