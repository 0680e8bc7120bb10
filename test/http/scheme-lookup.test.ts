/**
 * Regression (issue 7, item 8): the scheme sent for a token's `tokenType` was looked up on a plain
 * object, so a type named like an `Object.prototype` member found that member: `tokenType: 'constructor'`
 * sent `Authorization: function Object() { [native code] } <token>`, `'__proto__'` sent `[object Object] <token>`.
 */
import {http, HttpResponse} from 'msw';
import {describe, expect, it} from 'vitest';
import {bearer, createAuthClient, createAuthFetch, createAuthSession} from '../../src/index.js';
import {useMsw} from '../helpers/msw.js';

const api = 'https://api.example.test';
const msw = useMsw();

/** Every name `Object.prototype` has (constructor, __proto__, toString, hasOwnProperty, valueOf, …). */
const prototypeNames = Object.getOwnPropertyNames(Object.prototype);

/** The Authorization value bearer() makes for a token of `tokenType`. */
function schemeFor(configured: string | undefined, {tokenType}: {tokenType: string | undefined}): string {
	const scheme = bearer(configured === undefined ? {} : {scheme: configured});
	const made = scheme.credentials({method: 'GET', url: `${api}/me`, grant: {kind: 'token', token: 't', tokenType, epoch: 1}});
	if (made instanceof Promise) {
		throw new TypeError('bearer() is synchronous');
	}
	const value = made.headers[0]?.[1] ?? '';
	return value.slice(0, value.length - ' t'.length);
}

describe('bearer(): the word sent before the token', () => {
	it.each(prototypeNames)('sends the token type %j verbatim', name => {
		expect(schemeFor(undefined, {tokenType: name})).toBe(name);
		expect(schemeFor(undefined, {tokenType: name.toUpperCase()})).toBe(name.toUpperCase());
	});

	it('still spells Bearer canonically, and defaults to Bearer', () => {
		expect(schemeFor(undefined, {tokenType: 'bearer'})).toBe('Bearer');
		expect(schemeFor(undefined, {tokenType: 'BEARER'})).toBe('Bearer');
		expect(schemeFor(undefined, {tokenType: 'Mac'})).toBe('Mac');
		expect(schemeFor(undefined, {tokenType: undefined})).toBe('Bearer');
		expect(schemeFor(undefined, {tokenType: ''})).toBe('Bearer');
		expect(schemeFor('Token', {tokenType: 'constructor'})).toBe('Token');
	});

	it('refuses a DPoP-bound token (it would be sent without a proof), in any case, and names no token', () => {
		for (const tokenType of ['DPoP', 'dpop']) {
			expect(() => schemeFor(undefined, {tokenType})).toThrow(/DPoP-bound.*dpop\(\) from "ky-auth\/dpop"/);
			expect(() => schemeFor('Token', {tokenType})).toThrow(TypeError);
		}
	});
});

describe('a tokenType named like an Object.prototype member reaches the server verbatim', () => {
	// The old lookup lowercased the type first, so `constructor` and `__proto__` (in any case) hit
	// Object.prototype; `toString` and `hasOwnProperty` guard against a lookup without the lowercasing.
	const names = ['constructor', '__proto__', 'Constructor', '__PROTO__', 'toString', 'hasOwnProperty'];

	function capture(): Array<string | null> {
		const seen: Array<string | null> = [];
		msw.use(http.get(`${api}/me`, ({request}) => {
			seen.push(request.headers.get('authorization'));
			return HttpResponse.json({});
		}));
		return seen;
	}

	it.each(names)('ky client: tokenType %j', async name => {
		const seen = capture();
		const session = createAuthSession();
		await session.signIn({accessToken: 'tok-1', tokenType: name});
		await createAuthClient(session, {baseUrl: api}).get('me');
		expect(seen).toEqual([`${name} tok-1`]);
	});

	it.each(names)('fetch adapter: tokenType %j', async name => {
		const seen = capture();
		const session = createAuthSession();
		await session.signIn({accessToken: 'tok-2', tokenType: name});
		const response = await createAuthFetch(session, {baseUrl: api})(`${api}/me`);
		expect(response.status).toBe(200);
		expect(seen).toEqual([`${name} tok-2`]);
	});

	it('a refresh that returns such a tokenType: the retry carries it verbatim', async () => {
		const seen: Array<string | null> = [];
		msw.use(http.get(`${api}/me`, ({request}) => {
			const authorization = request.headers.get('authorization');
			seen.push(authorization);
			return authorization === 'constructor fresh' ? HttpResponse.json({}) : new HttpResponse(null, {status: 401});
		}));
		const session = createAuthSession({refresh: async () => ({accessToken: 'fresh', tokenType: 'constructor'})});
		await session.signIn({accessToken: 'stale'});
		await createAuthClient(session, {baseUrl: api}).get('me');
		expect(seen).toEqual(['Bearer stale', 'constructor fresh']);
	});
});
