import type {TokenRecord, TokenRecordVersion} from '../types/store.js';
import {isRecord} from '../utils/validate.js';
import {isTokenSet} from './token-set.js';

/** The `id` given to a bare `TokenSet` read from a store (written by an older version, or by hand). */
export const unversioned = 'unversioned';

/** A new random sign-in id (128 bits, hex); `crypto.getRandomValues` exists in browsers (secure or not) and Node. */
export function newRecordId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	let id = '';
	for (const byte of bytes) {
		id += byte.toString(16).padStart(2, '0');
	}
	return id;
}

/**
 * What a store returned, as a record: a valid {@link TokenRecord}, a bare `TokenSet` as an unversioned
 * record, anything else as `null` (signed out).
 */
export function readRecord(value: unknown): TokenRecord | null {
	if (isTokenSet(value)) {
		return {id: unversioned, generation: 0, tokens: value};
	}
	if (!isRecord(value) || typeof value.id !== 'string' || value.id === '' || !isTokenSet(value.tokens)) {
		return null;
	}
	const {generation} = value;
	return typeof generation === 'number' && Number.isSafeInteger(generation) && generation >= 0
		? {id: value.id, generation, tokens: value.tokens}
		: null;
}

/** The version of a record, as `compareAndSet` expects it. */
export function versionOf(record: TokenRecord | null): TokenRecordVersion {
	return record && {id: record.id, generation: record.generation};
}

/** Whether a stored record has the version `expected` (both `null`, or the same `id` and `generation`): what every `compareAndSet` compares. */
export function matchesVersion(stored: TokenRecord | null, expected: TokenRecordVersion): boolean {
	if (stored === null || expected === null) {
		return stored === expected;
	}
	return stored.id === expected.id && stored.generation === expected.generation;
}
