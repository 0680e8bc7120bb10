/**
 * The browser production build's redaction (src/redact/lean.ts, chosen by `redactError` there): the same guarantee
 * as the deep copy, in less code. However a secret is nested (errors, causes, aggregated errors, hidden fields,
 * symbol keys, maps, sets, web objects, bytes), it never shows in util.inspect, JSON, String or the stack of the
 * error that wraps it; a value that mentions no secret is returned as it is.
 */
import {inspect} from 'node:util';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {RefreshError} from '../../src/index.js';
import {redactLean} from '../../src/redact/lean.js';

const SECRET = 'SECRET-refresh-token-31337';
const spellings = [SECRET, encodeURIComponent(SECRET)];

function expectNoSecret(cause: unknown): void {
	const error = new RefreshError('REFRESH_FAILED', {cause});
	const views = [inspect(error, {depth: Number.POSITIVE_INFINITY, showHidden: true}), JSON.stringify(cause) ?? '', JSON.stringify(error), String(error), error.stack ?? '', String(cause)];
	for (const view of views) {
		for (const spelling of spellings) {
			expect(view).not.toContain(spelling);
		}
	}
}

/** Wrappers that hide a value in the places a log or JSON reaches. */
const wrappers: Record<string, (inner: unknown) => unknown> = {
	'an error cause': inner => new Error('outer', {cause: inner}),
	'an aggregated error': inner => new AggregateError([inner], 'several'),
	'a field': inner => Object.assign(new TypeError('wrapper'), {details: inner}),
	'a hidden field': inner => Object.defineProperty(new Error('hidden'), 'secretField', {value: inner, enumerable: false}),
	'an array': inner => [1, inner],
	'an object': inner => ({nested: {deeper: inner}}),
	'a map value': inner => new Map([['key', inner]]),
	'a set': inner => new Set([inner]),
};

/** Places a secret string can sit. */
const leaves: Record<string, (secret: string) => unknown> = {
	'a message': secret => new Error(`refresh failed for ${secret}`),
	'a string': secret => `token ${secret}`,
	'a form-encoded body': secret => `grant_type=refresh_token&refresh_token=${encodeURIComponent(secret)}`,
	'Headers': secret => new Headers({authorization: `Bearer ${secret}`}),
	'URLSearchParams': secret => new URLSearchParams({refresh_token: secret}),
	'a Request': secret => new Request('https://auth.example/token', {method: 'POST', headers: {authorization: `Bearer ${secret}`}}),
	'a Response URL': secret => Object.defineProperty(new Response('x'), 'url', {value: `https://api.example/?key=${secret}`}),
	'a URL': secret => new URL(`https://api.example/?key=${secret}`),
	'FormData': secret => {
		const form = new FormData();
		form.append('refresh_token', secret);
		return form;
	},
	'bytes': secret => new TextEncoder().encode(`refresh_token=${secret}`),
	'a symbol key': secret => ({[Symbol(secret)]: 1}),
	'a map key': secret => new Map([[secret, 1]]),
	'a field name': secret => ({[secret]: true}),
};

describe('lean redaction (browser production build)', () => {
	for (const [leafName, leaf] of Object.entries(leaves)) {
		it(`a secret in ${leafName}, however wrapped, never shows`, () => {
			fc.assert(fc.property(fc.array(fc.constantFrom(...Object.keys(wrappers)), {maxLength: 6}), path => {
				const value = path.reduce((inner, name) => wrappers[name]!(inner), leaf(SECRET));
				const redacted = redactLean(value, [SECRET]);
				expect(redacted).not.toBe(value);
				expectNoSecret(redacted);
			}), {numRuns: 40});
		});
	}

	it('returns the value itself when nothing in it mentions a secret, and keeps the name and the redacted first line', () => {
		const clean = new Error('refresh failed', {cause: new Headers({accept: 'application/json'})});
		expect(redactLean(clean, [SECRET])).toBe(clean);
		expect(redactLean(clean, [undefined, ''])).toBe(clean);
		const leaking = Object.assign(new TypeError(`fetch failed: ${SECRET}\nsecond line`), {token: SECRET});
		const redacted = redactLean(leaking, [SECRET]) as Error;
		expect(redacted).toBeInstanceOf(Error);
		expect(redacted.name).toBe('TypeError');
		expect(redacted.message).toBe('fetch failed: [REDACTED]');
		expect(Object.keys(redacted)).toEqual([]);
	});

	it('what cannot be searched (a cycle past the limit, a Blob, a promise, a throwing getter, deep nesting) counts as mentioning a secret', () => {
		let deep: unknown = 'clean';
		for (let level = 0; level < 12; level++) {
			deep = {deep};
		}
		const throwing = Object.defineProperty({}, 'field', {enumerable: true, get() {
			throw new Error('no');
		}});
		for (const value of [deep, {blob: new Blob(['x'])}, {pending: Promise.resolve()}, throwing]) {
			expect(redactLean(value, [SECRET])).not.toBe(value);
		}
		const cycle: Record<string, unknown> = {text: 'clean'};
		cycle.self = cycle;
		expect(redactLean(cycle, [SECRET])).toBe(cycle);
	});
});
