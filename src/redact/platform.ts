import {dropped, scrub, type Walk} from './walk.js';

/** Typed arrays and buffers larger than this are dropped rather than searched. */
const maxBytesSearched = 1 << 20;

function copyBytes(source: ArrayBuffer | ArrayBufferView, walk: Walk): unknown {
	if (source.byteLength > maxBytesSearched) {
		return dropped(walk, `${source.constructor.name} of ${source.byteLength} bytes`);
	}
	const bytes = source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
	const text = new TextDecoder('latin1').decode(bytes) + new TextDecoder().decode(bytes);
	return walk.secrets.some(secret => text.includes(secret)) ? dropped(walk, `${source.constructor.name} of ${source.byteLength} bytes, redacted`) : source;
}

/** Header-like pairs, scrubbed; `undefined` when none of them mentions a secret. */
function scrubPairs(pairs: Iterable<[string, string]>, walk: Walk): Array<[string, string]> | undefined {
	const before = walk.changed;
	walk.changed = false;
	const result = [...pairs].map(([key, value]): [string, string] => [scrub(key, walk), scrub(value, walk)]);
	const changed = walk.changed;
	walk.changed ||= before;
	return changed ? result : undefined;
}

/** Web platform objects that hold their data in internal slots: copied as what a log shows of them. */
export function copyPlatform(value: object, walk: Walk): {value: unknown} | undefined {
	if (value instanceof URLSearchParams) {
		const pairs = scrubPairs(value, walk);
		return {value: pairs ? new URLSearchParams(pairs) : value};
	}
	if (value instanceof Headers) {
		const pairs = scrubPairs(value, walk);
		return {value: pairs ? new Headers(pairs) : value};
	}
	if (value instanceof Request || value instanceof Response) {
		const before = walk.changed;
		walk.changed = false;
		const url = scrub(value.url, walk);
		const headers = scrubPairs(value.headers, walk);
		const changed = walk.changed;
		walk.changed ||= before;
		if (!changed) {
			return {value};
		}
		const kind = value instanceof Request ? {method: value.method} : {status: value.status};
		const summary = {...kind, url, headers: new Headers(headers ?? [...value.headers])};
		// Shown by util.inspect as `Object [Request] { … }`.
		Object.defineProperty(summary, Symbol.toStringTag, {value: value.constructor.name});
		return {value: summary};
	}
	if (value instanceof URL) {
		const href = scrub(value.href, walk);
		return {value: href === value.href ? value : href};
	}
	if (typeof FormData !== 'undefined' && value instanceof FormData) {
		const copied = new FormData();
		for (const [key, entry] of value) {
			copied.append(scrub(key, walk), typeof entry === 'string' ? scrub(entry, walk) : entry);
		}
		return {value: copied};
	}
	if (value instanceof RegExp) {
		const text = scrub(String(value), walk);
		return {value: text === String(value) ? value : text};
	}
	if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
		return {value: copyBytes(value, walk)};
	}
	if (value instanceof Date || value instanceof WeakMap || value instanceof WeakSet || value instanceof WeakRef) {
		return {value};
	}
	if (value instanceof Promise || (typeof Blob !== 'undefined' && value instanceof Blob) || (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream)) {
		return {value: dropped(walk, value.constructor.name)};
	}
	return undefined;
}

