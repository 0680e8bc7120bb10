import {dev, seeDocs} from '../utils/dev.js';
import {ChallengeParseError} from './parse-error.js';
import type {Challenge} from './challenge.js';
import {COMMA, EQUALS, SP} from './chars.js';
import {Scanner} from './scanner.js';

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
	return building.token68 === undefined
		? {scheme: building.scheme, params}
		: {scheme: building.scheme, params, token68: building.token68};
}

function addParam(scanner: Scanner, building: Building, name: string): void {
	const at = scanner.position;
	const value = scanner.paramValue();
	const key = name.toLowerCase();
	if (building.params.has(key)) {
		throw new ChallengeParseError(dev ? `parameter "${key}" repeated` : '', at);
	}
	building.params.set(key, value);
}

/**
 * Parses what follows a scheme: nothing, `1*SP token68`, or `1*SP #auth-param`.
 *
 * The `#` list rule lets a recipient meet empty elements (RFC 9110 §5.6.1.2), so the `#auth-param`
 * after the space may begin with one: in `Bearer , realm="x"` the comma ends an empty first
 * parameter, and `realm="x"` still belongs to Bearer. Without the space (`Bearer, realm="x"` or
 * `Bearer<HTAB>, realm="x"`) the scheme takes no parameters and the comma separates challenges.
 */
function startChallenge(scanner: Scanner, scheme: string): Building {
	const building: Building = {scheme: scheme.toLowerCase(), params: new Map(), open: false};
	if (scanner.peek() !== SP) {
		// No 1*SP: a challenge without parameters, then OWS before the comma or the end.
		const afterScheme = scanner.position;
		scanner.skipWhitespace();
		if (scanner.done || scanner.peek() === COMMA) {
			return building;
		}
		scanner.position = afterScheme;
		scanner.fail(dev ? 'expected a space after the auth-scheme' : '');
	}
	while (scanner.peek() === SP) {
		scanner.position++;
	}
	const afterSpaces = scanner.position;
	scanner.skipWhitespace();
	if (scanner.done) {
		// Trailing white space: a challenge without parameters.
		return building;
	}
	if (scanner.peek() === COMMA) {
		// `1*SP #auth-param` whose first element is empty: the next elements may be its parameters.
		building.open = true;
		return building;
	}
	// Only SP may stand between the scheme and a token68 or parameter.
	scanner.position = afterSpaces;
	const token68 = scanner.token68();
	if (token68 !== undefined) {
		building.token68 = token68;
		return building;
	}
	const name = scanner.token();
	if (name === '') {
		scanner.fail(dev ? 'expected a token68 or an auth-param' : '');
	}
	addParam(scanner, building, name);
	building.open = true;
	return building;
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
	if (typeof fieldLines !== 'string' && !Array.isArray(fieldLines)) {
		throw new TypeError(dev ? `parseWWWAuthenticate: expected a string or an array of strings, got ${typeof fieldLines}` : `parseWWWAuthenticate: ${seeDocs('TypeError')}`);
	}
	if (typeof fieldLines !== 'string') {
		for (const line of fieldLines as readonly unknown[]) {
			if (typeof line !== 'string') {
				throw new TypeError(dev ? `parseWWWAuthenticate: expected a string or an array of strings, got an array holding ${line === null ? 'null' : typeof line}` : `parseWWWAuthenticate: ${seeDocs('TypeError')}`);
			}
		}
	}
	const text = typeof fieldLines === 'string' ? fieldLines : (fieldLines as readonly string[]).join(', ');
	const scanner: Scanner = new Scanner(text);
	const challenges: Challenge[] = [];
	let current: Building | undefined;
	for (;;) {
		scanner.skipWhitespace();
		if (scanner.done) {
			break;
		}
		if (scanner.peek() === COMMA) {
			scanner.position++;
			continue;
		}
		const name = scanner.token();
		if (name === '') {
			scanner.fail(dev ? 'expected an auth-scheme or auth-param' : '');
		}
		const afterName = scanner.position;
		scanner.skipWhitespace();
		if (scanner.peek() === EQUALS) {
			if (!current?.open) {
				scanner.fail(dev ? (current ? 'parameter after a challenge that takes none' : 'parameter before any auth-scheme') : '');
			}
			scanner.position = afterName;
			addParam(scanner, current!, name);
		} else {
			scanner.position = afterName;
			if (current) {
				challenges.push(toChallenge(current));
			}
			current = startChallenge(scanner, name);
		}
		scanner.skipWhitespace();
		if (!scanner.done && scanner.peek() !== COMMA) {
			scanner.fail(dev ? 'expected "," or the end of the field' : '');
		}
	}
	if (current) {
		challenges.push(toChallenge(current));
	}
	return challenges;
}
