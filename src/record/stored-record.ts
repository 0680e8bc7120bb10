import {dev} from '../utils/dev.js';
import type {TokenRecord, TokenRecordVersion} from '../types/store.js';
import {invalid, isRecord} from '../utils/validate.js';
import {readRecord} from './record.js';

/** Throws a `TypeError` unless `value` is something a store can write: a valid TokenRecord (or TokenSet), or `null`. */
export function checkWritable(where: string, value: unknown): asserts value is TokenRecord | null {
	if (value !== null && readRecord(value) === null) {
		invalid(where, dev ? 'a TokenRecord or null' : '', value);
	}
}

/** Throws a `TypeError` unless `value` is a {@link TokenRecordVersion}: `null` or `{id, generation}`. */
export function checkVersion(where: string, value: unknown): asserts value is TokenRecordVersion {
	if (value === null) {
		return;
	}
	if (!isRecord(value) || typeof value.id !== 'string' || !Number.isSafeInteger(value.generation)) {
		invalid(where, dev ? 'null or {id: string, generation: integer}' : '', value);
	}
}
