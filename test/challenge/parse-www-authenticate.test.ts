import {describe, expect, it} from 'vitest';
import {ChallengeParseError, parseWWWAuthenticate} from '../../src/index.js';
import {expectWellFormed, parseError, plain, type PlainChallenge} from './support.js';

describe('parseWWWAuthenticate: empty input', () => {
	it.each([
		['the empty string', ''],
		['an empty array', []],
		['an array of empty field lines', ['', '']],
		['only white space and commas', ' \t, ,\t '],
	] as const)('%s gives []', (_label, input) => {
		expect(parseWWWAuthenticate(input)).toEqual([]);
	});
});

describe('parseWWWAuthenticate: several field lines', () => {
	it('combines several field lines into one list, in order', () => {
		const result = parseWWWAuthenticate(['Basic realm="a"', 'Bearer realm="b", error="invalid_token"', 'NTLM']);
		expectWellFormed(result);
		expect(plain(result)).toStrictEqual([
			{scheme: 'basic', params: {realm: 'a'}},
			{scheme: 'bearer', params: {realm: 'b', error: 'invalid_token'}},
			{scheme: 'ntlm', params: {}},
		]);
	});

	it('gives the same result for the lines as for the field combined with ", "', () => {
		const lines = ['Newauth realm="apps", type=1', 'Basic realm="simple"', 'Negotiate abc=='];
		expect(plain(parseWWWAuthenticate(lines))).toStrictEqual(plain(parseWWWAuthenticate(lines.join(', '))));
	});

	it('continues parameters of the last challenge of one line on the next line (one list)', () => {
		expect(plain(parseWWWAuthenticate(['Bearer realm="x"', 'error="invalid_token"']))).toStrictEqual([
			{scheme: 'bearer', params: {realm: 'x', error: 'invalid_token'}},
		]);
	});

	it('ignores empty field lines between others', () => {
		expect(plain(parseWWWAuthenticate(['', 'Basic', '', 'Bearer', '']))).toStrictEqual([
			{scheme: 'basic', params: {}},
			{scheme: 'bearer', params: {}},
		]);
	});

	it('does not merge two challenges of the same scheme', () => {
		expect(parseWWWAuthenticate(['Bearer error="a"', 'Bearer error="b"'])).toHaveLength(2);
	});

	it('rejects a repeated parameter even across field lines', () => {
		parseError(['Bearer realm="x"', 'REALM="y"']);
	});
});

describe('parseWWWAuthenticate: params object', () => {
	const dangerous = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'prototype'];

	it('has no prototype and stores dangerous names as plain own data properties', () => {
		const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
		const field = 'Custom ' + dangerous.map((name, index) => `${name}="v${index}"`).join(', ');
		const [challenge] = parseWWWAuthenticate(field);
		expect(challenge).toBeDefined();
		const params = challenge!.params;
		expect(Object.getPrototypeOf(params)).toBeNull();
		// Names are lowercased (RFC 9110: case-insensitive), so "hasOwnProperty" is stored as "hasownproperty".
		const keys = dangerous.map(name => name.toLowerCase());
		expect(Object.keys(params)).toEqual(keys);
		keys.forEach((name, index) => {
			expect(Object.getOwnPropertyDescriptor(params, name)).toEqual({value: `v${index}`, writable: true, enumerable: true, configurable: true});
		});
		expect(params['__proto__']).toBe('v0');
		expect(params['constructor']).toBe('v1');
		// Object.prototype is untouched.
		expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
		const fresh: Record<string, unknown> = {};
		expect(Object.getPrototypeOf(fresh)).toBe(Object.prototype);
		expect(fresh.constructor).toBe(Object);
		expect(typeof fresh.hasOwnProperty).toBe('function');
		expect(typeof fresh.toString).toBe('function');
		expect('v0' in fresh).toBe(false);
		expect(Object.values(Object.getOwnPropertyDescriptors(Object.prototype)).some(descriptor => typeof descriptor.value === 'string')).toBe(false);
	});

	it('lowercases a dangerous name before storing it', () => {
		const [challenge] = parseWWWAuthenticate('Custom __PROTO__="x", CONSTRUCTOR=y');
		expect(Object.getPrototypeOf(challenge!.params)).toBeNull();
		expect(Object.entries(challenge!.params)).toEqual([['__proto__', 'x'], ['constructor', 'y']]);
	});

	it('accepts "__proto__" as an auth-scheme without touching any prototype', () => {
		const [challenge] = parseWWWAuthenticate('__proto__ a=b');
		expect(challenge!.scheme).toBe('__proto__');
		expect(Object.getPrototypeOf(challenge)).toBe(Object.prototype);
		expect(plain([challenge!])).toStrictEqual([{scheme: '__proto__', params: {a: 'b'}}]);
	});

	it('returns a fresh params object for every challenge', () => {
		const [a, b] = parseWWWAuthenticate('Basic realm=x, Basic realm=x');
		expect(a!.params).not.toBe(b!.params);
	});

	it('omits token68 when the challenge carries none, and keeps params empty when it does', () => {
		const [bare, withToken] = parseWWWAuthenticate('Bearer, Negotiate YII=');
		expect('token68' in bare!).toBe(false);
		expect(withToken!.token68).toBe('YII=');
		expect(Object.keys(withToken!.params)).toEqual([]);
	});
});

describe('parseWWWAuthenticate: repeated parameter names', () => {
	it.each([
		'Basic realm="foo", realm="bar"',
		'Basic realm="foo", REALM="bar"',
		'Basic Realm=a, rEaLm=a',
		'Bearer __proto__=a, __PROTO__=b',
		'Bearer a=1, b=2, A=3',
	])('rejects %j', input => {
		expect(parseError(input).message).toMatch(/repeated/);
	});

	it('allows the same name in two different challenges', () => {
		expect(plain(parseWWWAuthenticate('Basic realm=a, Bearer realm=a'))).toStrictEqual([
			{scheme: 'basic', params: {realm: 'a'}},
			{scheme: 'bearer', params: {realm: 'a'}},
		]);
	});
});

describe('parseWWWAuthenticate: argument type', () => {
	it.each([
		['undefined', undefined],
		['null', null],
		['a number', 42],
		['a boolean', true],
		['an object', {}],
		['a String object', new String('Basic')],
		['a Headers object', new Headers({'www-authenticate': 'Basic'})],
	])('throws TypeError for %s', (_label, value) => {
		expect(() => parseWWWAuthenticate(value as unknown as string)).toThrow(TypeError);
		expect(() => parseWWWAuthenticate(value as unknown as string)).not.toThrow(ChallengeParseError);
	});

	// Regression: array elements were not checked; [42] parsed as scheme "42", [null, 'Basic'] as "Basic".
	it.each([
		['[42]', [42]],
		['[null, "Basic"]', [null, 'Basic']],
		['[{}]', [{}]],
	])('throws TypeError for an array holding a non-string: %s', (_label, value) => {
		expect(() => parseWWWAuthenticate(value as unknown as string[])).toThrow(TypeError);
	});
});

describe('ChallengeParseError.position points at the problem', () => {
	/** Index of the n-th occurrence of `needle` in `haystack` (n from 0). */
	function nth(haystack: string, needle: string, n = 0): number {
		let at = -1;
		for (let i = 0; i <= n; i++) {
			at = haystack.indexOf(needle, at + 1);
		}
		expect(at).toBeGreaterThanOrEqual(0);
		return at;
	}

	it('at the end for an unterminated quoted-string', () => {
		for (const input of ['Basic realm="x', 'Bearer error="bad\\escape\\"', 'Basic realm="a\\"']) {
			expect(parseError(input).position).toBe(input.length);
		}
	});

	it('at a character not allowed in a quoted-string', () => {
		const input = 'Bearer error_description="a\u007Fb"';
		expect(parseError(input).position).toBe(input.indexOf('\u007F'));
		const nul = 'Bearer error_description="ab\u0000"';
		expect(parseError(nul).position).toBe(nul.indexOf('\u0000'));
		const beyondLatin1 = 'Basic realm="caf\u00E9 \u20AC"';
		expect(parseError(beyondLatin1).position).toBe(beyondLatin1.indexOf('\u20AC'));
	});

	it('at the character after a backslash that cannot be quoted', () => {
		const input = 'Basic realm="a\\\u007F"';
		expect(parseError(input).position).toBe(input.indexOf('\u007F'));
	});

	it('at the HTAB where 1*SP is required after the scheme', () => {
		expect(parseError('Basic\trealm="a"').position).toBe(5);
	});

	it('at unexpected content after a complete element', () => {
		const input = 'A b=c d=e';
		expect(parseError(input).position).toBe(input.indexOf('d'));
		const afterQuoted = 'Basic realm="x"y';
		expect(parseError(afterQuoted).position).toBe(afterQuoted.indexOf('y'));
	});

	it('at a character that starts no element', () => {
		expect(parseError('Basic realm=x, [oops]').position).toBe(15);
		expect(parseError('"Basic"').position).toBe(0);
	});

	it('at the missing value after "="', () => {
		// (After the scheme, "realm=" alone is a valid token68; after a parameter it is not.)
		expect(parseError('Basic a=b, realm=').position).toBe(17);
		expect(parseError('Basic a=b, realm= ,').position).toBe(18);
		expect(parseError('Basic a=b, realm=,').position).toBe(17);
	});

	it('within "name BWS =" of a repeated parameter', () => {
		for (const input of ['Basic realm="foo", REALM="bar"', 'Basic realm="foo", REALM = "bar"']) {
			const start = nth(input, 'REALM');
			expect(parseError(input).position).toBeGreaterThanOrEqual(start);
			expect(parseError(input).position).toBeLessThanOrEqual(nth(input, '=', 1));
		}
	});

	it('within "name BWS =" of a parameter that has no challenge to belong to', () => {
		for (const input of ['error="x", Bearer', 'Basic, realm="x"', 'Negotiate abc==, realm = "x"']) {
			const start = nth(input, input.startsWith('error') ? 'error' : 'realm');
			const equals = input.indexOf('=', start);
			const error = parseError(input);
			expect(error.position).toBeGreaterThanOrEqual(start);
			expect(error.position).toBeLessThanOrEqual(equals);
		}
	});

	it('is an offset in the combined field value when several lines are given', () => {
		const lines = ['Basic realm="x"', 'Bearer e="a\u007F"'];
		expect(parseError(lines).position).toBe(lines.join(', ').indexOf('\u007F'));
	});

	it('appears in the message', () => {
		const error = parseError('Basic realm="x');
		expect(error.message).toContain(`at ${error.position}`);
	});
});

describe('parseWWWAuthenticate: white space', () => {
	it('allows OWS around commas and BWS around "="', () => {
		expect(plain(parseWWWAuthenticate(' \tBasic realm \t= \t"a" \t, \tb = c\t,Bearer x=y \t'))).toStrictEqual([
			{scheme: 'basic', params: {realm: 'a', b: 'c'}},
			{scheme: 'bearer', params: {x: 'y'}},
		]);
	});

	it('allows several SP between the scheme and its token68 or first parameter', () => {
		expect(plain(parseWWWAuthenticate('Negotiate    abc==  , Basic   realm=x'))).toStrictEqual([
			{scheme: 'negotiate', params: {}, token68: 'abc=='},
			{scheme: 'basic', params: {realm: 'x'}},
		]);
	});

	it('allows SP as OWS between a bare scheme and the next comma', () => {
		expect(plain(parseWWWAuthenticate('Bearer , Basic'))).toStrictEqual([
			{scheme: 'bearer', params: {}},
			{scheme: 'basic', params: {}},
		]);
	});

	// Regression: OWS = *( SP / HTAB ), so "Bearer<HTAB>, Basic" is `challenge OWS "," OWS challenge`.
	it.each(['Bearer\t, Basic', 'Bearer \t, Basic'])('allows HTAB as OWS between a bare scheme and the next comma: %j', input => {
		expect(plain(parseWWWAuthenticate(input))).toStrictEqual([
			{scheme: 'bearer', params: {}},
			{scheme: 'basic', params: {}},
		]);
	});

	it('still rejects HTAB in place of the 1*SP before a token68 or parameter', () => {
		parseError('Negotiate\tabc==');
		parseError('Negotiate \tabc==');
	});
});

/**
 * RFC 9110 §5.6.1.2: "a recipient MUST accept empty list elements" wherever the `#` rule applies.
 * Collected ABNF of the recipient's reading:
 *   WWW-Authenticate = [ challenge ] *( OWS "," OWS [ challenge ] )
 *   challenge        = auth-scheme [ 1*SP ( token68 / [ auth-param ] *( OWS "," OWS [ auth-param ] ) ) ]
 * So an empty element may stand first, last or between two commas of either list, and also as the
 * first `auth-param` right after the scheme's 1*SP (`Bearer , realm="x"`: realm belongs to Bearer).
 */
describe('parseWWWAuthenticate: empty list elements', () => {
	const cases: Array<[string, string | string[], PlainChallenge[]]> = [
		['right after the scheme\'s space, before a parameter', 'Bearer , realm="x"', [{scheme: 'bearer', params: {realm: 'x'}}]],
		['several right after the scheme\'s space', 'Bearer ,, , realm="x"', [{scheme: 'bearer', params: {realm: 'x'}}]],
		['after the scheme\'s space, with HTAB as OWS before the comma', 'Bearer \t, realm="x"', [{scheme: 'bearer', params: {realm: 'x'}}]],
		['after several spaces, with no OWS after the comma', 'Bearer   ,realm="x"', [{scheme: 'bearer', params: {realm: 'x'}}]],
		['after the scheme\'s space, before several parameters', 'Digest , realm="r", , nonce=abc, qop="auth"', [{scheme: 'digest', params: {realm: 'r', nonce: 'abc', qop: 'auth'}}]],
		['between parameters', 'Bearer realm="x",, error="y"', [{scheme: 'bearer', params: {realm: 'x', error: 'y'}}]],
		['between parameters, with OWS', 'Bearer realm="x" , \t, error="y"', [{scheme: 'bearer', params: {realm: 'x', error: 'y'}}]],
		['after the last parameter', 'Bearer realm="x",,', [{scheme: 'bearer', params: {realm: 'x'}}]],
		['before the first challenge', ', Basic realm="a"', [{scheme: 'basic', params: {realm: 'a'}}]],
		['several before the first challenge', ',,\t, Basic realm="a"', [{scheme: 'basic', params: {realm: 'a'}}]],
		['between challenges', 'Basic realm="a",,Bearer', [{scheme: 'basic', params: {realm: 'a'}}, {scheme: 'bearer', params: {}}]],
		['only empty elements after the scheme (a challenge without parameters)', 'Basic ,', [{scheme: 'basic', params: {}}]],
		['only empty elements after the scheme, then a challenge', 'Basic , , Bearer realm="b"', [{scheme: 'basic', params: {}}, {scheme: 'bearer', params: {realm: 'b'}}]],
		['after a token68', 'Negotiate YII= ,, Basic', [{scheme: 'negotiate', params: {}, token68: 'YII='}, {scheme: 'basic', params: {}}]],
		['after the scheme\'s space of a later challenge', 'Basic realm="a", Bearer , error="e"', [{scheme: 'basic', params: {realm: 'a'}}, {scheme: 'bearer', params: {error: 'e'}}]],
		['across field lines (a line ending in the scheme\'s space and a comma)', ['Bearer ,', 'realm="x"'], [{scheme: 'bearer', params: {realm: 'x'}}]],
		['across field lines (a line of only a comma)', ['Basic realm="a"', ',', 'Bearer'], [{scheme: 'basic', params: {realm: 'a'}}, {scheme: 'bearer', params: {}}]],
	];

	it.each(cases)('accepted %s: %j', (_label, input, want) => {
		const result = parseWWWAuthenticate(input);
		expectWellFormed(result);
		expect(plain(result)).toStrictEqual(want);
	});

	it.each([
		// Without the 1*SP the scheme takes no parameters, so the comma separates challenges and
		// `realm="x"` is no challenge.
		['Bearer, realm="x"', 'realm'],
		['Bearer\t, realm="x"', 'realm'],
		['Bearer ,, realm="x", Basic, realm="y"', 'realm="y"'],
		// A token68 is not a list: an empty element cannot put a parameter or a token68 after it.
		['Negotiate abc==,, realm="x"', 'realm'],
		['Negotiate , YII=', 'YII'],
		// HTAB is not SP, and OWS after the scheme's spaces only leads to a comma.
		['Bearer \trealm="x"', '\t'],
		// An empty element does not excuse a missing value, a missing name, or a repeated parameter.
		['Bearer , realm=', '='],
		['Bearer , ="x"', '='],
		['Bearer , realm="x",, REALM="y"', 'REALM'],
	])('still rejects %j near %j', (input, near) => {
		const error = parseError(input);
		const at = input.lastIndexOf(near);
		expect(error.position).toBeGreaterThanOrEqual(at);
		expect(error.position).toBeLessThanOrEqual(at + near.length + 1);
	});

	it('gives [] for a field of only empty elements (RFC 9110 has WWW-Authenticate = #challenge)', () => {
		expect(parseWWWAuthenticate(',')).toEqual([]);
		expect(parseWWWAuthenticate([',', ' , ,'])).toEqual([]);
	});
});
