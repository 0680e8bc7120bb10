/**
 * Issue 7, item 6 (validation part): every validation message reads as one sentence,
 * "<where>: expected <what>, got <what was got>", and never echoes a token.
 */
import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession, memoryStore} from '../../src/index.js';

const SECRET = 'eyJhbGciOiJIUzI1NiJ9.SECRET-token-value-4242';
const bad = (value: unknown) => value as never;

async function signInMessage(value: unknown): Promise<string> {
	const error = await createAuthSession().signIn(bad(value)).then(() => undefined, (error_: unknown) => error_);
	expect(error).toBeInstanceOf(TypeError);
	return (error as TypeError).message;
}

describe('signIn with something that is not a TokenSet', () => {
	it.each([
		['a string (a bare token)', SECRET, 'a string'],
		['null', null, 'null'],
		['an array', [SECRET], 'an array'],
		['no accessToken', {token: SECRET}, 'an object without "accessToken"'],
		['an empty accessToken', {accessToken: ''}, 'an object whose "accessToken" is an empty string'],
		['a numeric accessToken', {accessToken: 42}, 'an object whose "accessToken" is a number, not a string'],
		['an accessToken with a newline', {accessToken: `${SECRET}\nX`}, `an object whose "accessToken" has a character an HTTP header cannot carry (U+000A at index ${SECRET.length}; only visible ASCII is allowed)`],
		['"Bearer <token>" as the accessToken', {accessToken: `Bearer ${SECRET}`}, 'an object whose "accessToken" has a character an HTTP header cannot carry (U+0020 at index 6; only visible ASCII is allowed)'],
		['a refreshToken that is not a string', {accessToken: 'a', refreshToken: {value: SECRET}}, 'an object whose "refreshToken" is an object, not a string'],
		['a tokenType that is not a scheme', {accessToken: 'a', tokenType: `Bearer ${SECRET}`}, 'an object whose "tokenType" is not an HTTP auth scheme token such as "Bearer"'],
		['expiresIn as a string', {accessToken: 'a', expiresIn: '3600'}, 'an object whose "expiresIn" is a string, not a non-negative finite number'],
		['a negative expiresAt', {accessToken: 'a', expiresAt: -1}, 'an object whose "expiresAt" is the number -1, not a non-negative finite number'],
		['expiresIn NaN', {accessToken: 'a', expiresIn: Number.NaN}, 'an object whose "expiresIn" is the number NaN, not a non-negative finite number'],
	])('%s', async (_name, value, got) => {
		const message = await signInMessage(value);
		expect(message).toBe(`signIn: expected a TokenSet, got ${got}`);
		expect(message).not.toContain('SECRET');
		expect(message).not.toContain('a value that is');
	});

	it('memoryStore says the same', () => {
		expect(() => memoryStore(bad({accessToken: 'a', scope: 7}))).toThrow(new TypeError('memoryStore: expected a TokenSet or nothing, got an object whose "scope" is a number, not a string'));
	});
});

describe('option validation (invalid())', () => {
	it('shows short values, so a typo is easy to spot', () => {
		expect(() => createAuthSession({refreshTimeout: bad('30s')})).toThrow(new TypeError('createAuthSession: options.refreshTimeout: expected a number of milliseconds above 0 and at most 2147483647, got a string ("30s")'));
		expect(() => createAuthSession({refreshWindow: -1})).toThrow(/refreshWindow: expected a non-negative finite number of milliseconds, got a number \(-1\)$/);
		expect(() => createAuthSession({store: bad(new Date())})).toThrow(/options\.store: expected a TokenStore with get\(\) and set\(\) methods, got an instance of Date$/);
	});

	it('never shows a long string, not even its start: a token pasted into an option stays out of the message', () => {
		const session = createAuthSession();
		const error = (() => {
			try {
				createAuthClient(session, {baseUrl: 'https://api.example.test', authScheme: `Bearer ${SECRET}`});
			} catch (error_) {
				return error_;
			}
			return undefined;
		})();
		expect(error).toBeInstanceOf(TypeError);
		expect((error as TypeError).message).toMatch(/authScheme: expected an HTTP auth scheme token such as "Bearer", got a string of \d+ characters$/);
		expect((error as TypeError).message).not.toContain('eyJhbGci');
	});
});
