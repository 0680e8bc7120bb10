import type {TokenRecord, TokenRecordVersion} from '../types/store.js';
import type {TokenSet} from '../types/tokens.js';
import {invalid, isRecord} from '../utils/validate.js';

/** Whether `value` looks like a {@link TokenSet}: an object with a non-empty string `accessToken` (the session checks the rest). */
function looksLikeTokenSet(value: unknown): value is TokenSet {
	return isRecord(value) && typeof value.accessToken === 'string' && value.accessToken !== '';
}

/** Whether `value` is a {@link TokenRecord}: a string `id`, a non-negative integer `generation` and a token set. */
export function isTokenRecord(value: unknown): value is TokenRecord {
	return isRecord(value) && typeof value.id === 'string' && value.id !== ''
		&& Number.isSafeInteger(value.generation) && (value.generation as number) >= 0
		&& looksLikeTokenSet(value.tokens);
}

/**
 * What a stored value reads as: a {@link TokenRecord}, a bare {@link TokenSet} (written by an older
 * version, read as an unversioned record), or `null` for nothing and for anything unreadable.
 */
export function readStored(value: unknown): TokenRecord | TokenSet | null {
	if (isTokenRecord(value) || looksLikeTokenSet(value)) {
		return value;
	}
	return null;
}

/**
 * Whether what is stored is the version a compare-and-set expects. `null` expects "nothing stored"
 * (which includes anything unreadable, as `get` reads it as `null`); a bare TokenSet has no version,
 * so it matches no expectation.
 */
export function isVersion(stored: unknown, expected: TokenRecordVersion): boolean {
	const readable = readStored(stored);
	if (expected === null || readable === null) {
		return expected === null && readable === null;
	}
	return isTokenRecord(readable) && readable.id === expected.id && readable.generation === expected.generation;
}

/** Throws a `TypeError` unless `value` is something the store can write: a TokenRecord, a TokenSet or `null`. */
export function checkWritable(where: string, value: unknown): asserts value is TokenRecord | TokenSet | null {
	if (value !== null && readStored(value) === null) {
		invalid(where, 'a TokenRecord or null', value);
	}
}

/** Throws a `TypeError` unless `value` is a {@link TokenRecordVersion}: `null` or `{id, generation}`. */
export function checkVersion(where: string, value: unknown): asserts value is TokenRecordVersion {
	if (value === null) {
		return;
	}
	if (!isRecord(value) || typeof value.id !== 'string' || !Number.isSafeInteger(value.generation)) {
		invalid(where, 'null or {id: string, generation: integer}', value);
	}
}
