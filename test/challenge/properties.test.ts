import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {ChallengeParseError, parseWWWAuthenticate} from '../../src/index.js';
import {expectWellFormed, plain, type PlainChallenge} from './support.js';

const TCHAR = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const TOKEN68_CHAR = '-._~+/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Either parses into well-formed challenges or throws a ChallengeParseError inside the input; nothing else. */
function expectParsesOrRejects(input: string | string[]): void {
	const combined = typeof input === 'string' ? input : input.join(', ');
	let result: unknown;
	try {
		result = parseWWWAuthenticate(input);
	} catch (error) {
		if (!(error instanceof ChallengeParseError)) {
			throw error;
		}
		expect(error.code).toBe('CHALLENGE_PARSE_ERROR');
		expect(Number.isInteger(error.position) && error.position >= 0 && error.position <= combined.length).toBe(true);
		return;
	}
	expectWellFormed(result);
}

const latin1Char = fc.integer({min: 0, max: 0xff}).map(code => String.fromCharCode(code));
/** Fragments that steer random input into every branch of the parser. */
const fragment = fc.oneof(
	fc.constantFrom('Basic', 'bearer', ' ', '  ', '\t', ',', ', ', '=', '==', '"', '\\', '\\"', 'realm', 'a=b', 'x="y"', 'abc==', '/+', '~', '\u007F', '\u00E4', '\u20AC', '\u0000', '@', ';'),
	latin1Char,
);

describe('parseWWWAuthenticate never throws anything but ChallengeParseError', () => {
	it('for arbitrary unicode strings', () => {
		fc.assert(fc.property(fc.string({unit: 'binary', maxLength: 80}), input => expectParsesOrRejects(input)), {numRuns: 1000});
	});

	it('for arbitrary Latin-1 strings', () => {
		fc.assert(fc.property(fc.string({unit: latin1Char, maxLength: 80}), input => expectParsesOrRejects(input)), {numRuns: 1000});
	});

	it('for strings built from syntax fragments', () => {
		fc.assert(fc.property(fc.array(fragment, {maxLength: 40}).map(parts => parts.join('')), input => expectParsesOrRejects(input)), {numRuns: 3000});
	});

	it('for arrays of field lines', () => {
		fc.assert(fc.property(fc.array(fc.array(fragment, {maxLength: 12}).map(parts => parts.join('')), {maxLength: 5}), lines => {
			expectParsesOrRejects(lines);
			// Lines and their ", "-combination are the same field.
			const combined = lines.join(', ');
			let fromLines: unknown;
			let fromCombined: unknown;
			try {
				fromLines = plain(parseWWWAuthenticate(lines));
			} catch (error) {
				fromLines = (error as ChallengeParseError).position;
			}
			try {
				fromCombined = plain(parseWWWAuthenticate(combined));
			} catch (error) {
				fromCombined = (error as ChallengeParseError).position;
			}
			expect(fromLines).toStrictEqual(fromCombined);
		}), {numRuns: 1000});
	});
});

// ---- Round trip: generate challenges, serialise them in any valid way, parse them back. ----

const token = fc.string({unit: fc.constantFrom(...TCHAR), minLength: 1, maxLength: 8});
const token68 = fc.tuple(fc.string({unit: fc.constantFrom(...TOKEN68_CHAR), minLength: 1, maxLength: 12}), fc.nat({max: 3}))
	.map(([body, padding]) => body + '='.repeat(padding));
/** Any character a quoted-string can carry: HTAB, SP, VCHAR, obs-text. */
const quotable = fc.oneof(
	fc.constant('\t'),
	fc.integer({min: 0x20, max: 0x7e}).map(code => String.fromCharCode(code)),
	fc.integer({min: 0x80, max: 0xff}).map(code => String.fromCharCode(code)),
	fc.constantFrom('"', '\\', ','),
);
/** A value as characters, each with whether to escape it though it need not be. */
const value = fc.oneof(
	fc.array(fc.record({char: quotable, escape: fc.boolean()}), {maxLength: 12}),
	token.map(text => [...text].map(char => ({char, escape: false}))),
);
const ows = fc.constantFrom('', ' ', '\t', ' \t ', '  ');
const spaces = fc.constantFrom(' ', '  ', '   ');
const mixedCase = (text: string, flips: readonly boolean[]) =>
	[...text].map((char, index) => (flips[index % Math.max(flips.length, 1)] ? char.toUpperCase() : char.toLowerCase())).join('');

interface Param {
	name: string;
	value: Array<{char: string; escape: boolean}>;
	quote: boolean;
	before: string;
	after: string;
}

const param: fc.Arbitrary<Param> = fc.record({name: token, value, quote: fc.boolean(), before: ows, after: ows});

type Shape =
	| {kind: 'bare'}
	| {kind: 'token68'; token68: string}
	| {kind: 'params'; params: Param[]};

const challenge: fc.Arbitrary<Generated> = fc.record({
	scheme: token,
	flips: fc.array(fc.boolean(), {maxLength: 4}),
	gap: spaces,
	empties: fc.nat({max: 2}),
	emptyOws: ows,
	shape: fc.oneof(
		fc.constant<Shape>({kind: 'bare'}),
		token68.map((text): Shape => ({kind: 'token68', token68: text})),
		fc.uniqueArray(param, {selector: p => p.name.toLowerCase(), minLength: 1, maxLength: 5}).map((params): Shape => ({kind: 'params', params})),
	),
});

interface Generated {
	scheme: string;
	flips: boolean[];
	gap: string;
	/** Empty `#auth-param` elements right after the gap (RFC 9110 §5.6.1.2); none for a token68. */
	empties: number;
	/** The OWS around the commas of those empty elements. */
	emptyOws: string;
	shape: Shape;
}

function isToken(text: string): boolean {
	return text.length > 0 && [...text].every(char => TCHAR.includes(char));
}

function serialiseValue(p: Param): string {
	const text = p.value.map(part => part.char).join('');
	if (!p.quote && isToken(text)) {
		return text;
	}
	return '"' + p.value.map(({char, escape}) => (escape || char === '"' || char === '\\' ? '\\' + char : char)).join('') + '"';
}

/** The challenge's text and the text of each further list element holding one of its parameters. */
function serialise(c: Generated): {head: string; params: string[]} {
	const scheme = mixedCase(c.scheme, c.flips);
	const shape = c.shape;
	// `1*SP [ auth-param ] *( OWS "," OWS [ auth-param ] )` with its first elements empty.
	const emptyRun = `${c.emptyOws},${c.emptyOws}`.repeat(c.empties);
	if (shape.kind === 'bare') {
		// `Basic ,` is a challenge whose #auth-param holds only empty elements.
		return {head: c.empties === 0 ? scheme : `${scheme}${c.gap}${emptyRun}`, params: []};
	}
	if (shape.kind === 'token68') {
		return {head: `${scheme}${c.gap}${shape.token68}`, params: []};
	}
	const [first, ...rest] = shape.params.map(p => `${mixedCase(p.name, c.flips)}${p.before}=${p.after}${serialiseValue(p)}`);
	return {head: `${scheme}${c.gap}${emptyRun}${first}`, params: rest};
}

function expected(c: Generated): PlainChallenge {
	const shape = c.shape;
	const scheme = c.scheme.toLowerCase();
	if (shape.kind === 'token68') {
		return {scheme, params: {}, token68: shape.token68};
	}
	const params = shape.kind === 'params'
		? Object.fromEntries(shape.params.map(p => [p.name.toLowerCase(), p.value.map(part => part.char).join('')]))
		: {};
	return {scheme, params};
}

const field = fc.record({
	challenges: fc.array(challenge, {maxLength: 5}),
	separators: fc.array(fc.record({before: ows, after: ows, empties: fc.nat({max: 2}), newLine: fc.boolean()}), {minLength: 30, maxLength: 30}),
	leading: ows,
	trailing: ows,
	/** Empty list elements before the first and after the last element. */
	leadingEmpties: fc.nat({max: 2}),
	trailingEmpties: fc.nat({max: 2}),
});

describe('parseWWWAuthenticate round-trips serialised challenges', () => {
	it('for any list of challenges, any valid spacing and any split into field lines', () => {
		fc.assert(fc.property(field, ({challenges, separators, leading, trailing, leadingEmpties, trailingEmpties}) => {
			const elements: string[] = [];
			for (const c of challenges) {
				const {head, params} = serialise(c);
				elements.push(head, ...params);
			}
			// Join the elements: OWS "," OWS, sometimes with empty elements, sometimes starting a new field line.
			const lines: string[] = [];
			let line = leading + `,${leading}`.repeat(leadingEmpties);
			elements.forEach((element, index) => {
				line += element;
				if (index === elements.length - 1) {
					return;
				}
				const separator = separators[index % separators.length]!;
				if (separator.newLine) {
					lines.push(line + separator.before);
					line = separator.after;
				} else {
					line += `${separator.before},${`${separator.after},`.repeat(separator.empties)}${separator.after}`;
				}
			});
			lines.push(line + `${trailing},`.repeat(trailingEmpties) + trailing);

			const want = challenges.map(expected);
			const result = parseWWWAuthenticate(lines);
			expectWellFormed(result);
			expect(plain(result)).toStrictEqual(want);
			expect(plain(parseWWWAuthenticate(lines.join(', ')))).toStrictEqual(want);
		}), {numRuns: 2000});
	});
});
