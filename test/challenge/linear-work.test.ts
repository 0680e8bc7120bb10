import {describe, expect, it} from 'vitest';
import {ChallengeParseError, parseWWWAuthenticate, type Challenge} from '../../src/index.js';

/**
 * Linear time without timing: every adversarial shape is parsed at a size (n = 100 000 repetitions)
 * where a quadratic parser would need ~10^10 steps and blow the test timeout, and its outcome is checked.
 * No assertion here looks at a clock.
 */
function outcome(input: string): Challenge[] | ChallengeParseError {
	try {
		return parseWWWAuthenticate(input);
	} catch (error) {
		if (error instanceof ChallengeParseError) {
			return error;
		}
		throw error;
	}
}

interface Shape {
	name: string;
	build: (n: number) => string;
	/** Checks the outcome for size n. */
	check: (result: Challenge[] | ChallengeParseError, n: number, input: string) => void;
}

function ok(check?: (challenges: Challenge[], n: number) => void) {
	return (result: Challenge[] | ChallengeParseError, n: number) => {
		expect(result).not.toBeInstanceOf(ChallengeParseError);
		check?.(result as Challenge[], n);
	};
}

function fails(where?: (input: string, n: number) => number) {
	return (result: Challenge[] | ChallengeParseError, n: number, input: string) => {
		expect(result).toBeInstanceOf(ChallengeParseError);
		if (where) {
			expect((result as ChallengeParseError).position).toBe(where(input, n));
		}
	};
}

const shapes: Shape[] = [
	{name: 'a long run of "a,"', build: n => 'a,'.repeat(n), check: ok((c, n) => expect(c).toHaveLength(n))},
	{name: 'a long run of ", "', build: n => ', '.repeat(n), check: ok(c => expect(c).toEqual([]))},
	{name: 'a long run of "a " (fails at the second element)', build: n => 'a '.repeat(n), check: fails(() => 4)},
	{name: 'a long run of "a" then a non-token', build: n => 'a'.repeat(n) + '@', check: fails(input => input.length - 1)},
	{name: 'a quoted string of escaped characters', build: n => 'Basic realm="' + '\\a'.repeat(n) + '"', check: ok((c, n) => expect(c[0]!.params['realm']).toBe('a'.repeat(n)))},
	{name: 'a quoted string of escaped backslashes', build: n => 'Basic realm="' + '\\\\'.repeat(n) + '"', check: ok((c, n) => expect(c[0]!.params['realm']).toBe('\\'.repeat(n)))},
	{name: 'an unterminated quoted string of escaped quotes', build: n => 'Basic realm="' + '\\"'.repeat(n), check: fails(input => input.length)},
	{name: 'a quoted string ending in a lone backslash', build: n => 'Basic realm="' + 'x'.repeat(n) + '\\', check: fails(input => input.length)},
	{name: 'many "=" after a scheme (BWS makes it an orphan parameter)', build: n => 'Basic ' + '='.repeat(n), check: fails(() => 6)},
	{name: 'many "=" alone', build: n => '='.repeat(n), check: fails(() => 0)},
	{name: 'a token68 of one character and many "="', build: n => 'Basic a' + '='.repeat(n), check: ok((c, n) => expect(c[0]!.token68).toBe('a' + '='.repeat(n)))},
	{name: 'many "=" then a token', build: n => 'Basic a' + '='.repeat(n) + 'b', check: fails()},
	{name: '"Basic " + "a=b, " repeated (a repeated name; position right after the repeated name)', build: n => 'Basic ' + 'a=b, '.repeat(n), check: fails(() => 12)},
	{name: '"Basic " + distinct "pN=b, " repeated', build: n => 'Basic ' + Array.from({length: n}, (_, i) => `p${i}=b, `).join(''), check: ok((c, n) => expect(Object.keys(c[0]!.params)).toHaveLength(n))},
	{name: 'many challenges with parameters', build: n => 'Basic realm="x", '.repeat(n), check: ok((c, n) => expect(c).toHaveLength(n))},
	{name: 'a long token68', build: n => 'Negotiate ' + 'A'.repeat(n) + '==', check: ok((c, n) => expect(c[0]!.token68).toHaveLength(n + 2))},
	{name: 'a long token68 followed by a non-comma', build: n => 'Negotiate ' + 'A'.repeat(n) + '== x', check: fails()},
	{name: 'a long token68 followed by ";"', build: n => 'Negotiate ' + 'A'.repeat(n) + ';', check: fails()},
	{name: 'a long token68-like run followed by "=value"', build: n => 'Custom ' + 'a'.repeat(n) + '=v', check: ok((c, n) => expect(c[0]!.params['a'.repeat(n)]).toBe('v'))},
	{name: 'long white space after the scheme', build: n => 'Basic' + ' '.repeat(n) + 'x', check: ok(c => expect(c[0]!.token68).toBe('x'))},
	{name: 'long white space before "="', build: n => 'Basic a' + ' \t'.repeat(n) + '= b', check: ok(c => expect(c[0]!.params['a']).toBe('b'))},
	{name: 'long white space after a name that is not a parameter', build: n => 'Basic a=b, c' + ' \t'.repeat(n) + 'd', check: fails()},
	{name: 'many empty elements after the scheme\'s space, then a parameter', build: n => 'Bearer ' + ', '.repeat(n) + 'realm=x', check: ok(c => expect(c.map(x => [x.scheme, x.params['realm']])).toEqual([['bearer', 'x']]))},
	{name: 'many empty elements between two parameters', build: n => 'Bearer a=b' + ' ,\t'.repeat(n) + 'c=d', check: ok(c => expect(Object.keys(c[0]!.params)).toEqual(['a', 'c']))},
	{name: 'long SP then long HTAB then an empty element and a parameter', build: n => 'Bearer' + ' '.repeat(n) + '\t'.repeat(n) + ',realm=x', check: ok(c => expect(c[0]!.params['realm']).toBe('x'))},
	{name: 'long SP then long HTAB then a token (HTAB is not SP)', build: n => 'Bearer' + ' '.repeat(n) + '\t'.repeat(n) + 'x', check: fails((_input, n) => 6 + n)},
	{name: 'long white space then garbage', build: n => 'Basic realm=x' + ' \t'.repeat(n) + '@', check: fails(input => input.length - 1)},
];

describe('parseWWWAuthenticate on adversarial shapes at 100k repetitions', () => {
	const n = 100_000;

	it.each(shapes)('$name', shape => {
		const input = shape.build(n);
		shape.check(outcome(input), n, input);
	});
});

describe('parseWWWAuthenticate on large input', () => {
	it('parses a 200k-character field of many challenges and parameters', () => {
		const parts: string[] = [];
		let length = 0;
		let count = 0;
		while (length < 200_000) {
			const part = `Scheme${count} realm="r\\"${count}\\\\", p${count}=${count}, q="${'x'.repeat(50)}"`;
			parts.push(part);
			length += part.length + 2;
			count++;
		}
		const field = parts.join(', ');
		expect(field.length).toBeGreaterThanOrEqual(200_000);
		const challenges = parseWWWAuthenticate(field);
		expect(challenges).toHaveLength(count);
		expect(challenges[count - 1]!.scheme).toBe(`scheme${count - 1}`);
		expect(challenges[count - 1]!.params['realm']).toBe(`r"${count - 1}\\`);
	});

	it('parses a 200k-character token68 and a 200k-character quoted value', () => {
		const token = 'A'.repeat(200_000);
		expect(parseWWWAuthenticate(`Negotiate ${token}`)[0]!.token68).toBe(token);
		const value = 'a\\"b '.repeat(40_000);
		expect(parseWWWAuthenticate(`Basic realm="${value}"`)[0]!.params['realm']).toBe('a"b '.repeat(40_000));
	});

	it('rejects a 200k-character field whose last character is wrong, pointing at it', () => {
		const field = 'Basic realm=x, '.repeat(13_334) + '@';
		expect(field.length).toBeGreaterThan(200_000);
		let thrown: unknown;
		try {
			parseWWWAuthenticate(field);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(ChallengeParseError);
		expect((thrown as ChallengeParseError).position).toBe(field.length - 1);
	});

	it('parses 10,000 field lines', () => {
		const lines = Array.from({length: 10_000}, (_, i) => `Bearer error="e${i}"`);
		const challenges = parseWWWAuthenticate(lines);
		expect(challenges).toHaveLength(10_000);
		expect(challenges[9_999]!.params['error']).toBe('e9999');
	});
});
