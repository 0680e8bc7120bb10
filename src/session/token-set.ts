import type {TokenSet} from '../types/tokens.js';
import {isRecord} from '../utils/validate.js';

const optionalStrings = ['refreshToken', 'tokenType', 'scope'] as const;
const optionalNumbers = ['expiresAt', 'expiresIn'] as const;
/** What an access token may hold to travel in an Authorization header. */
const visibleAscii = /^[\x21-\x7E]+$/;
/** An HTTP auth scheme (RFC 9110 token). */
const schemeToken = /^[!#$%&'*+\-.^_`|~\dA-Za-z]+$/;

/**
 * Why `value` is not a {@link TokenSet}, or `undefined` when it is one. Never echoes token values.
 */
export function tokenSetProblem(value: unknown): string | undefined {
	if (!isRecord(value)) {
		return "not an object";
	}
	if (typeof value.accessToken !== 'string' || value.accessToken === '') {
		return 'missing a non-empty string "accessToken"';
	}
	if (!visibleAscii.test(value.accessToken)) {
		return 'an "accessToken" with characters an HTTP header cannot carry (only visible ASCII is allowed)';
	}
	if (value.tokenType !== undefined && (typeof value.tokenType !== 'string' || !schemeToken.test(value.tokenType))) {
		return 'a "tokenType" that is not an HTTP auth scheme token';
	}
	for (const key of optionalStrings) {
		if (value[key] !== undefined && typeof value[key] !== 'string') {
			return `"${key}" must be a string when present`;
		}
	}
	for (const key of optionalNumbers) {
		const field = value[key];
		if (field !== undefined && (typeof field !== 'number' || !Number.isFinite(field) || field < 0)) {
			return `"${key}" must be a non-negative finite number when present`;
		}
	}
	return undefined;
}

/** Whether `value` is a well-formed {@link TokenSet}. */
export function isTokenSet(value: unknown): value is TokenSet {
	return tokenSetProblem(value) === undefined;
}
