import {inspect} from 'node:util';
import {describe, expect, it} from 'vitest';
import {apiKey, basic, bearer, createAuthClient, createAuthFetch, createAuthSession, type CredentialScheme} from '../../src/index.js';

const key = 'SECRET-KEY-123456';
const password = 'pw-SECRET-42';

/** The TypeError `make` throws (fails the test when it throws nothing or something else). */
function typeErrorOf(make: () => unknown): TypeError {
	try {
		make();
	} catch (error) {
		expect(error).toBeInstanceOf(TypeError);
		return error as TypeError;
	}
	throw new Error('expected a TypeError, nothing was thrown');
}

/** Asserts "<where>: expected …, got …" and that neither the key nor the password shows anywhere in it. */
function expectNamedAndSilent(error: TypeError, where: string): void {
	expect(error.message.startsWith(`${where}: expected `)).toBe(true);
	expect(error.message).toMatch(/, got .+$/);
	const shown = [error.message, String(error), inspect(error, {depth: 10}), JSON.stringify(error)].join('\n');
	expect(shown).not.toContain(key);
	expect(shown).not.toContain(password);
	expect(shown).not.toContain('SECRET');
}

const session = createAuthSession({refresh: async () => null});
const base = 'http://api.test/';
const keyScheme = (): CredentialScheme => apiKey({header: 'X-API-Key', key});
const unchecked = <T>(value: unknown): T => value as T;

describe('scheme factories refuse bad options with "expected …, got …", never echoing a key or password', () => {
	it.each<[string, string, () => unknown]>([
		['apiKey({})', 'apiKey: options.key', () => apiKey(unchecked({}))],
		['apiKey with both header and query', 'apiKey: options', () => apiKey({key, header: 'X-API-Key', query: 'api_key'})],
		['apiKey with neither header nor query', 'apiKey: options', () => apiKey({key})],
		['apiKey with a header name that is no HTTP token', 'apiKey: options.header', () => apiKey({key, header: 'X API Key'})],
		['apiKey with a header name holding a line break', 'apiKey: options.header', () => apiKey({key, header: 'X-API-Key\r\nX-Evil'})],
		['apiKey with a query name that is no token', 'apiKey: options.query', () => apiKey({key, query: 'api key'})],
		['apiKey with a prefix but a query parameter', 'apiKey: options.prefix', () => apiKey({key, query: 'api_key', prefix: 'Key '})],
		['apiKey with an empty key', 'apiKey: options.key', () => apiKey({key: '', header: 'X-API-Key'})],
		['apiKey(null)', 'apiKey: options', () => apiKey(unchecked(null))],
		['basic({username: 1})', 'basic: options.username', () => basic({username: unchecked(1), password})],
		['basic with a username holding a control character', 'basic: options.username', () => basic({username: 'a\u0000b', password})],
		['basic with an empty password', 'basic: options.password', () => basic({username: 'u', password: ''})],
		['basic with no password', 'basic: options.password', () => basic(unchecked({username: 'u'}))],
		['bearer with a scheme that is no token', 'bearer: options.scheme', () => bearer({scheme: 'Two Words'})],
		['bearer({scheme: "DPoP"})', 'bearer: options.scheme', () => bearer({scheme: 'DPoP'})],
	])('%s', (_name, where, make) => {
		expectNamedAndSilent(typeErrorOf(make), where);
	});

	// Regression (found by this suite, fixed): a key with a control character is described twice: "got a string ("a string")".
	it('apiKey with a control character in the key: the message says "got a string", not "got a string ("a string")"', () => {
		const error = typeErrorOf(() => apiKey({key: `${key}\n`, header: 'X-API-Key'}));
		expect(`${error.message} ${inspect(error)}`).not.toContain('SECRET');
		expect(error.message).not.toContain('("a string")');
	});

	// Regression (found by this suite, fixed): a password with a control character is described twice, as for apiKey above.
	it('basic with a control character in the password: the message says "got a string", not "got a string ("a string")"', () => {
		const error = typeErrorOf(() => basic({username: 'u', password: `${password}\u0007`}));
		expect(`${error.message} ${inspect(error)}`).not.toContain('SECRET');
		expect(error.message).not.toContain('("a string")');
	});

	// Regression (found by this suite, fixed): describeValue quotes strings up to 24 characters, so a key passed as the options is echoed.
	it('apiKey("<the key>") (the key passed instead of the options): the key is not echoed', () => {
		expectNamedAndSilent(typeErrorOf(() => apiKey(unchecked(key))), 'apiKey: options');
	});

	// Regression (found by this suite, fixed): secretSource echoes a number ("got a number (123456)"), though it is the key.
	it('apiKey({key: <a number>}): the number is not echoed', () => {
		const error = typeErrorOf(() => apiKey({key: unchecked(987_654_321), header: 'X-API-Key'}));
		expectNamedAndSilent(error, 'apiKey: options.key');
		expect(error.message).not.toContain('987654321');
	});

	// Regression (found by this suite, fixed): as for apiKey, a short "user:password" string passed as the options is echoed.
	it('basic("<user:password>") (a string instead of the options): the password is not echoed', () => {
		expectNamedAndSilent(typeErrorOf(() => basic(unchecked(`alice:${password}`))), 'basic: options');
	});
});

describe.each([
	['createAuthClient', (options: object) => createAuthClient(session, {baseUrl: base, ...options})],
	['createAuthFetch', (options: object) => createAuthFetch(session, {baseUrl: base, ...options})],
] as const)('%s refuses bad scheme options with "expected …, got …"', (where, create) => {
	it.each<[string, string, () => object]>([
		['schemes: [{origins: "x"}]', 'options.schemes[0].origins', () => ({schemes: [{origins: 'x', scheme: keyScheme()}]})],
		['schemes: [{origins: [B]}] without a scheme', 'options.schemes[0].scheme', () => ({schemes: [{origins: ['http://b.test']}]})],
		['schemes: {} (not an array)', 'options.schemes', () => ({schemes: {}})],
		['schemes: [null]', 'options.schemes[0]', () => ({schemes: [null]})],
		['scheme: {}', 'options.scheme', () => ({scheme: {}})],
		['scheme together with authScheme', 'options', () => ({scheme: keyScheme(), authScheme: 'Token'})],
		['authScheme: "DPoP"', 'options.authScheme', () => ({authScheme: 'DPoP'})],
	])('%s', (_name, option, options) => {
		expectNamedAndSilent(typeErrorOf(() => create(options())), `${where}: ${option}`);
	});

	// Regression (found by this suite, fixed): the origin list of a binding is validated as if it were allowedOrigins, and the message
	// says "createAuthClient: schemes[0].origins: allowedOrigins[0]: …" (an option the caller did not pass).
	it('schemes: [{origins: ["not a url"]}]: the message names options.schemes[0].origins[0]', () => {
		const error = typeErrorOf(() => create({schemes: [{origins: ['not a url'], scheme: keyScheme()}]}));
		expect(error.message).not.toContain('allowedOrigins');
		expectNamedAndSilent(error, `${where}: options.schemes[0].origins[0]`);
	});
});
