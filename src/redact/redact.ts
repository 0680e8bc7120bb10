import {browserProduction} from '../utils/dev.js';
import {redactLean} from './lean.js';
import {copyPlatform} from './platform.js';
import {dropped, maxRedactionDepth, scrub, spellings, type Walk} from './walk.js';
import {isError} from './summary.js';

export {maxRedactionDepth} from './walk.js';

/** How many objects {@link redactError} copies at most; the rest are dropped. */
const maxObjects = 2000;

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/** Prototypes of the built-in errors a copy is made as (besides `Error` and `AggregateError`). */
const builtInPrototypes: readonly object[] = [TypeError.prototype, RangeError.prototype, SyntaxError.prototype, ReferenceError.prototype, EvalError.prototype, URIError.prototype];

function read(target: object, key: PropertyKey): {value: unknown} | undefined {
	try {
		return {value: Reflect.get(target, key) as unknown};
	} catch {
		return undefined;
	}
}

function copySymbol(value: symbol, walk: Walk): symbol {
	const description = value.description === undefined ? undefined : scrub(value.description, walk);
	return description === value.description ? value : Symbol(description);
}

/** Defines `key` on `target` as a plain data property with the given enumerability. */
function define(target: object, key: PropertyKey, value: unknown, enumerable: boolean): void {
	Object.defineProperty(target, key, {value, enumerable, writable: true, configurable: true});
}

/** Copies every own property of `source` not in `skip` onto `target`, redacted, keeping enumerability. */
function copyFields(source: object, target: object, depth: number, walk: Walk, skip: ReadonlySet<PropertyKey> = new Set()): void {
	for (const key of Reflect.ownKeys(source)) {
		if (skip.has(key)) {
			continue;
		}
		const descriptor = Object.getOwnPropertyDescriptor(source, key);
		const field = read(source, key);
		if (descriptor === undefined || field === undefined) {
			continue;
		}
		const name = typeof key === 'string' ? scrub(key, walk) : copySymbol(key, walk);
		define(target, name, copy(field.value, depth + 1, walk), descriptor.enumerable ?? false);
	}
}

/**
 * Whether a copy may keep `prototype`: nothing on its chain (below `base`) reads internal state the
 * copy lacks, through an accessor, a custom `util.inspect` or a `toJSON`.
 */
function keepsPrototype(prototype: unknown, base: object): prototype is object {
	for (let current = prototype; current !== base; current = Object.getPrototypeOf(current)) {
		if (current === null || typeof current !== 'object') {
			return false;
		}
		if (Object.hasOwn(current, inspectCustom) || Object.hasOwn(current, 'toJSON')) {
			return false;
		}
		if (Object.values(Object.getOwnPropertyDescriptors(current)).some(descriptor => descriptor.get !== undefined || descriptor.set !== undefined)) {
			return false;
		}
	}
	return true;
}

function copyError(source: Error, depth: number, walk: Walk): Error {
	const message = read(source, 'message')?.value;
	const text = scrub(typeof message === 'string' ? message : '', walk);
	const isAggregate = source instanceof AggregateError;
	const copied = isAggregate ? new AggregateError([], text) : new Error(text);
	walk.copies.set(source, copied);
	const base = isAggregate ? AggregateError.prototype : Error.prototype;
	const prototype: unknown = Object.getPrototypeOf(source);
	const builtIn = builtInPrototypes.find(candidate => candidate === prototype);
	if (builtIn !== undefined) {
		Object.setPrototypeOf(copied, builtIn);
	} else if (keepsPrototype(prototype, base)) {
		Object.setPrototypeOf(copied, prototype);
	}
	const name = read(source, 'name')?.value;
	if (typeof name === 'string' && !Object.hasOwn(source, 'name') && copied.name !== name) {
		define(copied, 'name', scrub(name, walk), false);
	}
	const stack = read(source, 'stack')?.value;
	define(copied, 'stack', typeof stack === 'string' ? scrub(stack, walk) : `${copied.name}: ${text}`, false);
	copyFields(source, copied, depth, walk, new Set(['message', 'stack']));
	return copied;
}

function copyObject(value: object, depth: number, walk: Walk): unknown {
	if (Array.isArray(value)) {
		const copied: unknown[] = [];
		walk.copies.set(value, copied);
		copyFields(value, copied, depth, walk, new Set(['length']));
		return copied;
	}
	if (value instanceof Map) {
		const copied = new Map<unknown, unknown>();
		walk.copies.set(value, copied);
		for (const [key, entry] of value) {
			copied.set(copy(key, depth + 1, walk), copy(entry, depth + 1, walk));
		}
		return copied;
	}
	if (value instanceof Set) {
		const copied = new Set<unknown>();
		walk.copies.set(value, copied);
		for (const entry of value) {
			copied.add(copy(entry, depth + 1, walk));
		}
		return copied;
	}
	const platform = copyPlatform(value, walk);
	if (platform) {
		walk.copies.set(value, platform.value);
		return platform.value;
	}
	const prototype: unknown = Object.getPrototypeOf(value);
	const copied = {};
	Object.setPrototypeOf(copied, prototype === null || keepsPrototype(prototype, Object.prototype) ? prototype : Object.prototype);
	walk.copies.set(value, copied);
	copyFields(value, copied, depth, walk);
	return copied;
}

/** A copy of `value` with every spelling of the secrets replaced, to {@link maxRedactionDepth} levels. */
function copy(value: unknown, depth: number, walk: Walk): unknown {
	switch (typeof value) {
		case 'string': {
			return scrub(value, walk);
		}
		case 'symbol': {
			return copySymbol(value, walk);
		}
		case 'function': {
			return scrub(value.name, walk) === value.name ? value : dropped(walk, 'Function');
		}
		case 'object': {
			if (value === null) {
				return value;
			}
			if (walk.copies.has(value)) {
				return walk.copies.get(value);
			}
			if (depth > maxRedactionDepth) {
				return dropped(walk, `nested deeper than ${maxRedactionDepth} levels`);
			}
			if (walk.copies.size >= maxObjects) {
				return dropped(walk, `more than ${maxObjects} objects`);
			}
			try {
				return isError(value) ? copyError(value, depth, walk) : copyObject(value, depth, walk);
			} catch {
				// A revoked proxy, or an object whose traps throw: nothing of it can be shown safely.
				return dropped(walk, 'unreadable value');
			}
		}
		default: {
			return value;
		}
	}
}

/**
 * Removes the given secrets (and their JSON-, URL- and form-encoded spellings) from an error before it
 * becomes another error's `cause`.
 *
 * Walks what a log can show, {@link maxRedactionDepth} levels deep with cycles handled: message,
 * stack, name, nested `cause`s, `AggregateError.errors`, own fields (hidden ones too), plain objects,
 * arrays, maps, sets, and web objects such as `URLSearchParams`, `Headers`, `Request`, `FormData`.
 *
 * Returns `error` itself when nothing in it mentions a secret. Otherwise returns a copy that keeps the
 * structure readable: errors stay errors (built-in classes, and classes whose prototype is safe to
 * reuse, keep their class; others become an `Error` with the same `name`), causes, aggregated
 * errors and fields are copied, and every string that held a secret reads `[REDACTED]` in its place.
 * What cannot be searched or is nested deeper is replaced by a short `[…]` note.
 */
function redactDeep(error: unknown, secrets: ReadonlyArray<string | undefined>): unknown {
	const walk: Walk = {secrets: spellings(secrets), copies: new Map(), changed: false};
	if (walk.secrets.length === 0) {
		return error;
	}
	const copied = copy(error, 0, walk);
	return walk.changed ? copied : error;
}

/**
 * Removes the given secrets from an error before it becomes another error's `cause` (see `redactDeep`: a readable
 * copy that keeps the structure). The browser production build uses {@link redactLean} instead: the same
 * guarantee, and a plain `Error` with the redacted first line where anything mentions a secret.
 */
export const redactError: typeof redactDeep = browserProduction ? redactLean : redactDeep;
