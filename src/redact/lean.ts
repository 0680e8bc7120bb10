import {isError} from './summary.js';
import {maxRedactionDepth, scrub, spellings, type Walk} from './walk.js';

/** How many objects {@link mentions} looks into at most; past that, the value counts as mentioning a secret. */
const maxObjects = 2000;

function read(target: object, key: PropertyKey): unknown {
	return Reflect.get(target, key) as unknown;
}

/** What an object shows besides its own fields: the contents web objects keep in internal slots. */
function slots(value: object): unknown[] {
	if (value instanceof Request || value instanceof Response) {
		return [value.url, [...value.headers]];
	}
	if (value instanceof URL) {
		return [value.href];
	}
	if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
		const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
		return [new TextDecoder('latin1').decode(bytes) + new TextDecoder().decode(bytes)];
	}
	if (value instanceof RegExp) {
		return [String(value)];
	}
	// Headers, URLSearchParams, FormData, Map, Set: their entries.
	return Symbol.iterator in value && !Array.isArray(value) ? [...(value as Iterable<unknown>)] : [];
}

/**
 * Whether `value` mentions a secret anywhere a log or `JSON.stringify` could show it, {@link maxRedactionDepth}
 * levels deep. What cannot be searched (a `Blob`, a stream, a promise, a value nested deeper, a field that throws)
 * counts as mentioning one.
 */
function mentions(value: unknown, depth: number, walk: Walk, seen: Set<object>): boolean {
	if (typeof value === 'string') {
		return scrub(value, walk) !== value;
	}
	if (typeof value === 'symbol' || typeof value === 'function') {
		const text = typeof value === 'symbol' ? value.description ?? '' : value.name;
		return scrub(text, walk) !== text;
	}
	if (typeof value !== 'object' || value === null || seen.has(value)) {
		return false;
	}
	if (depth > maxRedactionDepth || seen.size >= maxObjects || value instanceof Promise || (typeof Blob !== 'undefined' && value instanceof Blob) || (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream)) {
		return true;
	}
	seen.add(value);
	try {
		const own = Reflect.ownKeys(value).flatMap(key => [key, read(value, key)]);
		const shown = isError(value) ? [read(value, 'message'), read(value, 'stack'), read(value, 'name'), read(value, 'cause')] : [];
		return [...own, ...shown, ...slots(value)].some(part => mentions(part, depth + 1, walk, seen));
	} catch {
		// A revoked proxy, or a field whose getter throws: nothing of it can be shown safely.
		return true;
	}
}

/**
 * The browser production build's {@link redactError}: the same guarantee (no spelling of a secret anywhere a log
 * or JSON shows), in less code. `error` itself when nothing in it mentions a secret; otherwise a plain `Error`
 * that keeps the name and the first message line, secrets replaced, and nothing else: no fields, no cause.
 */
export function redactLean(error: unknown, secrets: ReadonlyArray<string | undefined>): unknown {
	const walk: Walk = {secrets: spellings(secrets), copies: new Map(), changed: false};
	if (walk.secrets.length === 0 || !mentions(error, 0, walk, new Set())) {
		return error;
	}
	let name = 'Error';
	let message = typeof error === 'string' ? error : '';
	try {
		if (isError(error)) {
			name = String(error.name);
			message = String(error.message);
		}
	} catch {
		// Nothing more of it is shown.
	}
	const copied = new Error(scrub(message.split('\n', 1)[0] ?? '', walk));
	Object.defineProperty(copied, 'name', {value: scrub(name, walk), writable: true, configurable: true});
	Object.defineProperty(copied, 'stack', {value: `${copied.name}: ${copied.message}`, writable: true, configurable: true});
	return copied;
}
