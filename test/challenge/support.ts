import {expect} from 'vitest';
import {ChallengeParseError, parseWWWAuthenticate, type Challenge} from '../../src/index.js';

/** A challenge as plain JSON-like data: params copied into an ordinary object, token68 only when present. */
export interface PlainChallenge {
	scheme: string;
	params: Record<string, string>;
	token68?: string;
}

/** Copies parsed challenges into plain objects (Object.fromEntries keeps "__proto__" as an own key). */
export function plain(challenges: readonly Challenge[]): PlainChallenge[] {
	return challenges.map(challenge => {
		const copy: PlainChallenge = {scheme: challenge.scheme, params: Object.fromEntries(Object.entries(challenge.params))};
		if ('token68' in challenge) {
			copy.token68 = challenge.token68;
		}
		return copy;
	});
}

const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

/** Structural invariants every parse result must satisfy. */
export function expectWellFormed(challenges: unknown): asserts challenges is Challenge[] {
	expect(Array.isArray(challenges)).toBe(true);
	for (const challenge of challenges as Challenge[]) {
		const keys = Object.keys(challenge).sort();
		expect(['params', 'scheme', 'token68'], `unexpected keys ${keys.join(',')}`).toEqual(expect.arrayContaining(keys));
		expect(challenge.scheme).toMatch(tokenPattern);
		expect(Object.getPrototypeOf(challenge.params)).toBeNull();
		for (const name of Object.keys(challenge.params)) {
			expect(name).toMatch(tokenPattern);
			expect(typeof challenge.params[name]).toBe('string');
		}
		if ('token68' in challenge) {
			expect(challenge.token68).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/);
			expect(Object.keys(challenge.params)).toEqual([]);
		}
	}
}

/** Parses `input`, expecting a ChallengeParseError, and returns it. */
export function parseError(input: string | readonly string[]): ChallengeParseError {
	let thrown: unknown;
	try {
		parseWWWAuthenticate(input);
	} catch (error) {
		thrown = error;
	}
	expect(thrown, `expected ${JSON.stringify(input)} to be rejected`).toBeInstanceOf(ChallengeParseError);
	const error = thrown as ChallengeParseError;
	expect(error).toBeInstanceOf(Error);
	expect(error.code).toBe('CHALLENGE_PARSE_ERROR');
	expect(error.name).toBe('ChallengeParseError');
	expect(Number.isInteger(error.position)).toBe(true);
	const combined = typeof input === 'string' ? input : input.join(', ');
	expect(error.position).toBeGreaterThanOrEqual(0);
	expect(error.position).toBeLessThanOrEqual(combined.length);
	return error;
}

/** A WWW-Authenticate test vector: field lines and the challenges they parse to, or "error". */
export interface Vector {
	id: string;
	fieldLines: string[];
	expected: PlainChallenge[] | 'error';
	note?: string;
}

/** Checks one vector: as separate field lines and combined with ", " (the same field). */
export function checkVector(vector: Vector): void {
	if (vector.expected === 'error') {
		parseError(vector.fieldLines);
		parseError(vector.fieldLines.join(', '));
		return;
	}
	const result = parseWWWAuthenticate(vector.fieldLines);
	expectWellFormed(result);
	expect(plain(result)).toStrictEqual(vector.expected);
	expect(plain(parseWWWAuthenticate(vector.fieldLines.join(', ')))).toStrictEqual(vector.expected);
}
