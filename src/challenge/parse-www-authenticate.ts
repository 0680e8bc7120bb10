import {dev, seeDocs} from '../utils/dev.js';
import {ChallengeParseError} from './parse-error.js';
import type {Challenge} from './challenge.js';

// One UTF-16 unit each, Latin-1 only (RFC 9110 §5.6.2, §5.6.4, §11.2); `\w` is ASCII letters, digits and `_`.
const TCHAR = /[\w!#$%&'*+.^`|~-]/;
const TOKEN68 = /[\w.~+/-]/;
const QDTEXT = /[\t !#-[\]-~\x80-\xFF]/;
const QUOTABLE = /[\t -~\x80-\xFF]/;

/** A challenge being read, with its parameters as they come. */
interface Building {
	scheme: string;
	params: Map<string, string>;
	token68?: string;
	/** Whether later list elements may add parameters to this challenge. */
	open: boolean;
}

function toChallenge(building: Building): Challenge {
	const params: Record<string, string> = Object.create(null) as Record<string, string>;
	for (const [name, value] of building.params) {
		params[name] = value;
	}
	return building.token68 === undefined ? {scheme: building.scheme, params} : {scheme: building.scheme, params, token68: building.token68};
}

function checkLines(fieldLines: unknown): string {
	if (typeof fieldLines === 'string') {
		return fieldLines;
	}
	const lines: unknown[] = Array.isArray(fieldLines) ? fieldLines : [];
	const wrong = lines.findIndex(line => typeof line !== 'string');
	if (!Array.isArray(fieldLines) || wrong !== -1) {
		const got = Array.isArray(fieldLines) ? `an array holding ${lines[wrong] === null ? 'null' : typeof lines[wrong]}` : typeof fieldLines;
		throw new TypeError(dev ? `parseWWWAuthenticate: expected a string or an array of strings, got ${got}` : `parseWWWAuthenticate: ${seeDocs('TypeError')}`);
	}
	return lines.join(', ');
}

/**
 * Parses `WWW-Authenticate` (or `Proxy-Authenticate`) field lines into challenges, strictly by
 * RFC 9110 §11.6.1: several field lines are one comma-separated list; scheme and parameter names
 * are lowercased; values are kept verbatim after quoted-pair unescaping. Empty list elements are
 * accepted and ignored wherever the `#` rule allows them (§5.6.1.2), also right after the scheme's
 * space (`Bearer , realm="x"`). Runs in linear time.
 *
 * @param fieldLines - One field value, or every field line as received.
 * @returns The challenges in order; `[]` for an empty field.
 * @throws {ChallengeParseError} For a syntax error or a parameter repeated within one challenge.
 *
 * @example
 * ```ts
 * parseWWWAuthenticate('Bearer realm="api", error="insufficient_scope", scope="write"');
 * // [{ scheme: 'bearer', params: { realm: 'api', error: 'insufficient_scope', scope: 'write' } }]
 * ```
 */
export function parseWWWAuthenticate(fieldLines: string | readonly string[]): Challenge[] {
	const text = checkLines(fieldLines);
	// The scanner's state is local (a minifier shortens every name): `at` is the position read next.
	let at = 0;
	const done = (): boolean => at >= text.length;
	const is = (char: string): boolean => text[at] === char;
	const isIn = (set: RegExp): boolean => !done() && set.test(text[at]!);
	const fail = (message: string, position = at): never => {
		throw new ChallengeParseError(message, position);
	};
	const skipWhitespace = (): void => {
		while (is(' ') || is('\t')) {
			at++;
		}
	};
	const token = (): string => {
		const start = at;
		while (isIn(TCHAR)) {
			at++;
		}
		return text.slice(start, at);
	};
	/** A token68 (RFC 9110 §11.2) when it is all the challenge holds (the list element ends after it); else nothing read. */
	const token68 = (): string | undefined => {
		const start = at;
		while (isIn(TOKEN68)) {
			at++;
		}
		const hasBody = at > start;
		while (is('=')) {
			at++;
		}
		const end = at;
		skipWhitespace();
		if (hasBody && (done() || is(','))) {
			return text.slice(start, end);
		}
		at = start;
		return undefined;
	};
	/** A quoted-string, unescaped; `at` is on its opening quote. */
	const quoted = (): string => {
		at++;
		let value = '';
		let chunkStart = at;
		while (!done()) {
			if (is('"')) {
				value += text.slice(chunkStart, at++);
				return value;
			}
			if (is('\\')) {
				value += text.slice(chunkStart, at++);
				if (!isIn(QUOTABLE)) {
					fail(dev ? 'invalid quoted-pair' : '');
				}
				value += text[at++];
				chunkStart = at;
				continue;
			}
			if (!isIn(QDTEXT)) {
				fail(dev ? 'invalid character in quoted-string' : '');
			}
			at++;
		}
		return fail(dev ? 'unterminated quoted-string' : '');
	};
	/** `BWS "=" BWS ( token / quoted-string )` after a parameter's name, added to `building`. */
	const param = (building: Building, name: string): void => {
		const start = at;
		skipWhitespace();
		if (!is('=')) {
			fail(dev ? 'expected "="' : '');
		}
		at++;
		skipWhitespace();
		const value = is('"') ? quoted() : token() || fail(dev ? 'expected a token or quoted-string' : '');
		const key = name.toLowerCase();
		if (building.params.has(key)) {
			fail(dev ? `parameter "${key}" repeated` : '', start);
		}
		building.params.set(key, value);
	};
	/**
	 * What follows a scheme: nothing, `1*SP token68`, or `1*SP #auth-param`. The `#` list rule lets a recipient
	 * meet empty elements (RFC 9110 §5.6.1.2), so the `#auth-param` after the space may begin with one: in
	 * `Bearer , realm="x"` the comma ends an empty first parameter, and `realm="x"` still belongs to Bearer.
	 * Without the space (`Bearer, realm="x"`) the challenge takes no parameters.
	 */
	const start = (scheme: string): Building => {
		const building: Building = {scheme: scheme.toLowerCase(), params: new Map(), open: false};
		if (!is(' ')) {
			const afterScheme = at;
			skipWhitespace();
			if (done() || is(',')) {
				return building;
			}
			fail(dev ? 'expected a space after the auth-scheme' : '', afterScheme);
		}
		while (is(' ')) {
			at++;
		}
		const afterSpaces = at;
		skipWhitespace();
		if (done() || is(',')) {
			building.open = !done();
			return building;
		}
		at = afterSpaces;
		const only = token68();
		if (only === undefined) {
			param(building, token() || fail(dev ? 'expected a token68 or an auth-param' : ''));
			building.open = true;
		} else {
			building.token68 = only;
		}
		return building;
	};
	const challenges: Challenge[] = [];
	let current: Building | undefined;
	for (;;) {
		skipWhitespace();
		if (done()) {
			break;
		}
		if (is(',')) {
			at++;
			continue;
		}
		const name = token() || fail(dev ? 'expected an auth-scheme or auth-param' : '');
		const afterName = at;
		skipWhitespace();
		if (is('=')) {
			if (!current?.open) {
				fail(dev ? (current ? 'parameter after a challenge that takes none' : 'parameter before any auth-scheme') : '');
			}
			at = afterName;
			param(current!, name);
		} else {
			at = afterName;
			if (current) {
				challenges.push(toChallenge(current));
			}
			current = start(name);
		}
		skipWhitespace();
		if (!done() && !is(',')) {
			fail(dev ? 'expected "," or the end of the field' : '');
		}
	}
	if (current) {
		challenges.push(toChallenge(current));
	}
	return challenges;
}
