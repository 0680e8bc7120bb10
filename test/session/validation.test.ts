import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthFetch, createAuthSession, memoryStore, webStorageStore, type AuthSession} from '../../src/index.js';

const bad = (value: unknown) => value as never;

describe('invalid options throw a TypeError that says what was expected and what was got', () => {
	it.each([
		['options', () => createAuthSession(bad(42)), /options: expected an object, got a number \(42\)/],
		['store', () => createAuthSession({store: bad({get: 1})}), /store: expected a TokenStore with get\(\) and set\(\) methods, got an object/],
		['store.lock', () => createAuthSession({store: bad({get() {}, set() {}, lock: 'x'})}), /store\.lock: expected a function when present, got a string/],
		['refresh', () => createAuthSession({refresh: bad('https://idp/token')}), /refresh: expected a function, got a string/],
		['refreshWindow', () => createAuthSession({refreshWindow: -1}), /refreshWindow: expected a non-negative finite number of milliseconds, got a number \(-1\)/],
		['refreshTimeout', () => createAuthSession({refreshTimeout: Number.NaN}), /refreshTimeout: expected .* got a number \(NaN\)/],
		['refreshTimeout 0', () => createAuthSession({refreshTimeout: 0}), /refreshTimeout: expected a number of milliseconds above 0 and at most 2147483647, got a number \(0\)/],
		['now', () => createAuthSession({now: bad(123)}), /now: expected a function, got a number \(123\)/],
	])('createAuthSession: %s', (_name, create, message) => {
		expect(create).toThrow(TypeError);
		expect(create).toThrow(message);
	});

	it('createAuthClient / createAuthFetch reject a foreign session and bad options', () => {
		const session = createAuthSession();
		expect(() => createAuthClient(bad({getAccessToken() {}}))).toThrow(/expected a session made by createAuthSession\(\), got an object/);
		expect(() => createAuthFetch(bad(null))).toThrow(TypeError);
		expect(() => createAuthClient(session, {baseUrl: 'https://a.test', authScheme: 'Bearer token'})).toThrow(/authScheme: expected an HTTP auth scheme token/);
		expect(() => createAuthClient(session, {allowedOrigins: bad('https://a.test')})).toThrow(/allowedOrigins: expected an array of origins or a function/);
		expect(() => createAuthClient(session, {allowedOrigins: ['not a url']})).toThrow(/allowedOrigins\[0\]: expected an absolute URL, got a string/);
		expect(() => createAuthClient(session, {allowedOrigins: [bad(7)]})).toThrow(/allowedOrigins\[0\]: expected a string or URL, got a number \(7\)/);
		expect(() => createAuthFetch(session, {fetch: bad('fetch')})).toThrow(/fetch: expected a function, got a string/);
	});

	it('outside a browser, no baseUrl/prefix and no allowedOrigins is an error, not a silent no-credentials client', () => {
		const session = createAuthSession();
		expect(() => createAuthClient(session)).toThrow(/allowedOrigins: expected at least one origin/);
		expect(() => createAuthFetch(session)).toThrow(/allowedOrigins: expected at least one origin/);
	});

	it('signIn rejects a value that is not a TokenSet without echoing it', async () => {
		const session: AuthSession = createAuthSession();
		await expect(session.signIn(bad('eyJsecret.token.value'))).rejects.toThrow(TypeError);
		await expect(session.signIn(bad('eyJsecret.token.value'))).rejects.not.toThrow(/eyJsecret/);
		await expect(session.signIn(bad({accessToken: ''}))).rejects.toThrow(/accessToken/);
		await expect(session.signIn(bad({accessToken: 'a', expiresIn: '3600'}))).rejects.toThrow(/expiresIn/);
		expect(session.getSnapshot().status).toBe('signedOut');
	});

	it('memoryStore and webStorageStore validate their arguments', () => {
		expect(() => memoryStore(bad({token: 'x'}))).toThrow(TypeError);
		expect(() => webStorageStore(bad({}))).toThrow(/key: expected a non-empty string, got undefined/);
		expect(() => webStorageStore({key: 'k'})).toThrow(/there is no globalThis\.localStorage here/);
	});
});
