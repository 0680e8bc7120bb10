/** Strings up to this length are quoted in messages; longer ones (tokens, keys) only give their length. */
const maxQuoted = 24;

function article(noun: string): string {
	return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/**
 * What kind of value `value` is, as a noun phrase that never shows the value itself: `null`,
 * `undefined`, `a string`, `a number`, `an array`, `a function`, `an object`, `an instance of Map`.
 * Use it for anything that may hold a token.
 */
export function describeKind(value: unknown): string {
	if (value === null || value === undefined) {
		return String(value);
	}
	if (Array.isArray(value)) {
		return 'an array';
	}
	if (typeof value !== 'object') {
		return article(typeof value);
	}
	const prototype: unknown = Object.getPrototypeOf(value);
	if (prototype === null || prototype === Object.prototype) {
		return 'an object';
	}
	const name = (value as {constructor?: {name?: unknown}}).constructor?.name;
	return typeof name === 'string' && name !== '' && name !== 'Object' ? `an instance of ${name}` : 'an object';
}

/**
 * A short description of a value for error messages, as a noun phrase that reads after "got":
 * its kind and, for numbers, booleans, bigints and short strings, the value (`a number (-1)`,
 * `a string ("30s")`, `a string of 812 characters`, `an object`, `undefined`).
 * Strings longer than 24 characters are never shown, so a token passed by mistake is not echoed.
 */
export function describeValue(value: unknown): string {
	switch (typeof value) {
		case 'string': {
			return value.length > maxQuoted ? `a string of ${value.length} characters` : `a string (${JSON.stringify(value)})`;
		}
		case 'number':
		case 'boolean': {
			return `${article(typeof value)} (${String(value)})`;
		}
		case 'bigint': {
			return `a bigint (${String(value)}n)`;
		}
		default: {
			return describeKind(value);
		}
	}
}
