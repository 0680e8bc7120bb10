/** How deep plain objects and arrays are compared; deeper values compare by identity. */
const maxDepth = 4;

function isPlainObject(value: unknown): value is object {
	if (typeof value !== 'object' || value === null) {
		return false;
	}
	const prototype: unknown = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

/**
 * Whether two client options describe the same client: plain objects and arrays compare by their contents
 * (own enumerable keys, a few levels deep), everything else by `Object.is` (functions, `Headers`, `URL`,
 * `AbortSignal`, class instances). So `{ prefix: '/api', retry: { limit: 2 } }` written inline is the same
 * on every render, while an inline hook function is new on every render.
 */
export function sameOptions(a: unknown, b: unknown, depth = 0): boolean {
	if (Object.is(a, b)) {
		return true;
	}
	if (depth >= maxDepth) {
		return false;
	}
	if (Array.isArray(a) && Array.isArray(b)) {
		return a.length === b.length && a.every((item, index) => sameOptions(item, b[index], depth + 1));
	}
	if (!isPlainObject(a) || !isPlainObject(b) || Array.isArray(a) || Array.isArray(b)) {
		return false;
	}
	const entriesA: Array<[string, unknown]> = Object.entries(a);
	const valuesB = new Map<string, unknown>(Object.entries(b));
	return entriesA.length === valuesB.size
		&& entriesA.every(([key, value]) => valuesB.has(key) && sameOptions(value, valuesB.get(key), depth + 1));
}
