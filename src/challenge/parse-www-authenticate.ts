import {dev, seeDocs} from '../utils/dev.js';
import {ChallengeParseError} from './parse-error.js';
import type {Challenge} from './challenge.js';

/** The field lines as one field value (several lines are one list, joined by ", "); a `TypeError` for anything else. */
function checkLines(fieldLines: unknown): string {
	if (typeof fieldLines === 'string') {
		return fieldLines;
	}
	const lines: unknown[] = Array.isArray(fieldLines) ? fieldLines : [];
	const wrong = lines.findIndex(line => typeof line !== 'string');
	if (lines !== fieldLines || wrong !== -1) {
		throw new TypeError(dev
			? `parseWWWAuthenticate: expected a string or an array of strings, got ${lines === fieldLines ? `an array holding ${lines[wrong] === null ? 'null' : typeof lines[wrong]}` : typeof fieldLines}`
			: `parseWWWAuthenticate: ${seeDocs('TypeError')}`);
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
	// The scanner's state is local to this call (a sticky pattern keeps its `lastIndex`): `at` is the position read
	// next. No pattern nests a repetition or can match in two ways, so each reads its input once (token68 at most twice).
	// Characters are one UTF-16 unit each, Latin-1 only (RFC 9110 §5.6.2, §5.6.4, §11.2); `\w` is [A-Za-z0-9_].
	const whitespace = /[ \t]*/y;
	const spaces = / */y;
	const token = /[\w!#$%&'*+.^`|~-]*/y;
	/** A token68, only when the list element ends after it (it is then all the challenge holds). */
	const token68 = /[\w.~+/-]+=*(?=[ \t]*(?:,|$))/y;
	/** A run of the characters a quoted-string holds as they are (qdtext). */
	const qdtext = /[\t !#-[\]-~\x80-\xFF]*/y;
	/** A character a quoted-pair may escape. */
	const quotable = /[\t -~\x80-\xFF]/y;
	let at = 0;
	/** What `pattern` matches at `at` ('' when nothing), and moves past it. */
	const read = (pattern: RegExp): string => {
		pattern.lastIndex = at;
		const found = pattern.exec(text)?.[0] ?? '';
		at += found.length;
		return found;
	};
	/** Whether the list element ends here: the end of the field, or a comma. */
	const elementEnds = (): boolean => at >= text.length || text[at] === ',';
	const fail = (message: string, position = at): never => {
		throw new ChallengeParseError(message, position);
	};
	/** `BWS "=" BWS ( token / quoted-string )` after a parameter's name, added to `challenge`. */
	const param = (challenge: Challenge, name: string): void => {
		const afterName = at;
		read(whitespace);
		if (text[at] !== '=') {
			fail(dev ? 'expected "="' : '');
		}
		at++;
		read(whitespace);
		const value = text[at] === '"' ? unquote() : read(token) || fail(dev ? 'expected a token or quoted-string' : '');
		const key = name.toLowerCase();
		if (key in challenge.params) {
			fail(dev ? `parameter "${key}" repeated` : '', afterName);
		}
		challenge.params[key] = value;
	};
	/** A quoted-string's value, unescaped; `at` is on its opening quote. */
	const unquote = (): string => {
		at++;
		let value = read(qdtext);
		while (text[at] !== '"') {
			if (text[at] !== '\\') {
				fail(dev ? (at < text.length ? 'invalid character in quoted-string' : 'unterminated quoted-string') : '');
			}
			at++;
			value += read(quotable) || fail(dev ? 'invalid quoted-pair' : '');
			value += read(qdtext);
		}
		at++;
		return value;
	};
	/**
	 * What follows a scheme: nothing, `1*SP token68`, or `1*SP #auth-param`; whether later list elements may add
	 * parameters to the challenge. The `#` list rule lets a recipient meet empty elements (RFC 9110 §5.6.1.2), so
	 * the `#auth-param` after the space may begin with one: in `Bearer , realm="x"` the comma ends an empty first
	 * parameter, and `realm="x"` still belongs to Bearer. Without the space (`Bearer, realm="x"`) the challenge
	 * takes no parameters.
	 */
	const afterScheme = (challenge: Challenge): boolean => {
		const spaced = read(spaces) !== '';
		const afterSpaces = at;
		read(whitespace);
		if (elementEnds()) {
			return spaced && at < text.length;
		}
		if (!spaced) {
			fail(dev ? 'expected a space after the auth-scheme' : '', afterSpaces);
		}
		at = afterSpaces;
		const only = read(token68);
		if (only) {
			challenge.token68 = only;
			return false;
		}
		param(challenge, read(token) || fail(dev ? 'expected a token68 or an auth-param' : ''));
		return true;
	};
	const challenges: Challenge[] = [];
	/** The last challenge, while it may take more parameters. */
	let open: Challenge | undefined;
	for (;;) {
		read(whitespace);
		if (at >= text.length) {
			return challenges;
		}
		if (text[at] === ',') {
			at++;
			continue;
		}
		const name = read(token) || fail(dev ? 'expected an auth-scheme or auth-param' : '');
		const afterName = at;
		read(whitespace);
		const paramOf = text[at] === '='
			? open ?? fail(dev ? (challenges.length > 0 ? 'parameter after a challenge that takes none' : 'parameter before any auth-scheme') : '')
			: undefined;
		at = afterName;
		if (paramOf) {
			param(paramOf, name);
		} else {
			const challenge: Challenge = {scheme: name.toLowerCase(), params: Object.create(null) as Record<string, string>};
			challenges.push(challenge);
			open = afterScheme(challenge) ? challenge : undefined;
		}
		read(whitespace);
		if (!elementEnds()) {
			fail(dev ? 'expected "," or the end of the field' : '');
		}
	}
}
