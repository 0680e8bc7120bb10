import {describeKind, describeValue} from './describe.js';
import {dev, seeDocs} from './dev.js';

/**
 * Throws a `TypeError` naming what was expected and what was got. In the browser production build, `where` and a
 * link to docs/errors.md (call sites pass `dev ? 'what was expected' : ''`, so the text is not shipped there).
 */
export function invalid(where: string, expected: string, got: unknown): never {
	throw new TypeError(dev ? `${where}: expected ${expected}, got ${describeValue(got)}` : `${where}: ${seeDocs('TypeError')}`);
}

/** Throws a `TypeError` naming what was expected and only the kind of what was got: for values that may be secrets. */
export function invalidSecret(where: string, expected: string, got: unknown): never {
	throw new TypeError(dev ? `${where}: expected ${expected}, got ${describeKind(got)}` : `${where}: ${seeDocs('TypeError')}`);
}

/** Validates an optional non-negative finite number option. */
export function optionalDuration(where: string, value: unknown): number | undefined {
	if (value === undefined) {
		return undefined;
	}
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		invalid(where, dev ? 'a non-negative finite number of milliseconds' : '', value);
	}
	return value;
}

/** Validates an optional function option. */
export function optionalFunction<T>(where: string, value: unknown): T | undefined {
	if (value !== undefined && typeof value !== 'function') {
		invalid(where, 'a function', value);
	}
	return value as T | undefined;
}

/** Whether `value` is a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The longest delay a timer holds (2^31 - 1 ms); a longer one fires at once. */
export const maxTimerDelay = 2_147_483_647;

/**
 * Validates a timer delay option: a number of milliseconds above 0 and at most {@link maxTimerDelay}
 * (`whole`: an integer too); `undefined` gives `fallback`.
 */
export function timerDelay(where: string, value: unknown, fallback: number, whole = false): number {
	if (value === undefined) {
		return fallback;
	}
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > maxTimerDelay || (whole && !Number.isInteger(value))) {
		invalid(where, dev ? `a ${whole ? 'whole ' : ''}number of milliseconds above 0 and at most ${maxTimerDelay}` : '', value);
	}
	return value;
}
