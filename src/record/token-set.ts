import {dev} from '../utils/dev.js';
import type {TokenSet} from '../types/tokens.js';
import {describeKind} from '../utils/describe.js';
import {isRecord} from '../utils/validate.js';

const optionalStrings = ['refreshToken', 'tokenType', 'scope'] as const;
const optionalNumbers = ['expiresAt', 'expiresIn'] as const;
/** What an access token may hold to travel in an Authorization header. */
const visibleAscii = /^[\x21-\x7E]+$/;
/** An HTTP auth scheme (RFC 9110 token). */
const schemeToken = /^[!#$%&'*+\-.^_`|~\dA-Za-z]+$/;

/** `U+000A at index 7`: which header-unsafe character comes first and where, without the token around it. */
function firstUnsafe(text: string): string {
	let index = 0;
	for (const character of text) {
		if (!visibleAscii.test(character)) {
			return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} at index ${index}`;
		}
		index++;
	}
	return 'none found';
}

/** A field that is a number: the number is shown (never a token); anything else only by kind. */
function describeNumberField(value: unknown): string {
	return typeof value === 'number' ? `the number ${String(value)}` : describeKind(value);
}

/**
 * Why `value` is not a {@link TokenSet}, or `undefined` when it is one. The answer is a noun phrase
 * that completes "expected a TokenSet, got …" (`an object whose "expiresIn" is a string, not a
 * non-negative finite number`). Never echoes token values: strings are described by kind only.
 */
export function tokenSetProblem(value: unknown): string | undefined {
	if (!isRecord(value)) {
		return dev ? describeKind(value) : 'not an object';
	}
	const {accessToken} = value;
	if (accessToken === undefined) {
		return dev ? 'an object without "accessToken"' : 'accessToken';
	}
	if (typeof accessToken !== 'string') {
		return dev ? `an object whose "accessToken" is ${describeKind(accessToken)}, not a string` : 'accessToken';
	}
	if (accessToken === '') {
		return dev ? 'an object whose "accessToken" is an empty string' : 'accessToken';
	}
	if (!visibleAscii.test(accessToken)) {
		return dev ? `an object whose "accessToken" has a character an HTTP header cannot carry (${firstUnsafe(accessToken)}; only visible ASCII is allowed)` : 'accessToken';
	}
	for (const key of optionalStrings) {
		if (value[key] !== undefined && typeof value[key] !== 'string') {
			return dev ? `an object whose "${key}" is ${describeKind(value[key])}, not a string` : key;
		}
	}
	if (typeof value.tokenType === 'string' && !schemeToken.test(value.tokenType)) {
		return dev ? 'an object whose "tokenType" is not an HTTP auth scheme token such as "Bearer"' : 'tokenType';
	}
	for (const key of optionalNumbers) {
		const field = value[key];
		if (field !== undefined && (typeof field !== 'number' || !Number.isFinite(field) || field < 0)) {
			return dev ? `an object whose "${key}" is ${describeNumberField(field)}, not a non-negative finite number` : key;
		}
	}
	return undefined;
}

/** Whether `value` is a well-formed {@link TokenSet}. */
export function isTokenSet(value: unknown): value is TokenSet {
	return tokenSetProblem(value) === undefined;
}
