/**
 * Issue 7, item 6 (AuthenticationError part): every SESSION_ENDED says to sign in again, whether the
 * request was never sent or a 401 was received; AUTHENTICATION_FAILED says what to check.
 */
import ky, {HTTPError} from 'ky';
import {http, HttpResponse} from 'msw';
import {describe, expect, it} from 'vitest';
import {AuthenticationError, createAuthClient, createAuthFetch, createAuthSession} from '../../src/index.js';
import {useMsw} from '../helpers/msw.js';

const api = 'https://api.example.test';
const msw = useMsw();
const SIGN_IN_AGAIN = 'The session has ended: sign in again.';
const FAILED_HINT = 'sign in again, or check that the tokens are meant for this API.';

function countOf(text: string, part: string): number {
	return text.split(part).length - 1;
}

describe('SESSION_ENDED always says to sign in again', () => {
	it('never sent: the refresh ended the session while the request waited', async () => {
		let time = 0;
		const session = createAuthSession({now: () => time, refresh: async () => null});
		await session.signIn({accessToken: 'a', expiresIn: 1});
		time = 5000;
		const error = await createAuthFetch(session, {baseUrl: api})(`${api}/me`).catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(AuthenticationError);
		const ended = error as AuthenticationError;
		expect(ended.code).toBe('SESSION_ENDED');
		expect(ended.response.type).toBe('error');
		expect(ended.message).toBe(`The request was not sent: GET ${api}/me. ${SIGN_IN_AGAIN}`);
		expect(countOf(ended.stack ?? '', SIGN_IN_AGAIN)).toBe(1);
	});

	it('the constructor adds the hint by code, so an error built from ky\'s message needs no change', async () => {
		msw.use(http.get(`${api}/me`, () => new HttpResponse(null, {status: 401})));
		const kyError = await ky.get(`${api}/me`, {retry: 0}).catch((error_: unknown) => error_);
		if (!(kyError instanceof HTTPError)) {
			throw new TypeError('expected an HTTPError from ky');
		}
		const init = {response: kyError.response, request: kyError.request, message: kyError.message};
		const ended = new AuthenticationError({...init, code: 'SESSION_ENDED'});
		expect(ended.message).toBe(`${kyError.message}. ${SIGN_IN_AGAIN}`);
		// Built again from its own message (a rethrow, a copy): the hint is not repeated.
		expect(new AuthenticationError({...init, message: ended.message, code: 'SESSION_ENDED'}).message).toBe(ended.message);
		// Without a message: ky's own, plus the hint.
		expect(new AuthenticationError({response: kyError.response, request: kyError.request, code: 'SESSION_ENDED'}).message).toBe(`${kyError.message}. ${SIGN_IN_AGAIN}`);
	});
});

describe('NOT_SIGNED_IN (issue 18): a request made while nobody is signed in says so', () => {
	const NOT_SIGNED_IN = 'Nobody is signed in, so the request was sent without credentials: sign in first (session.signIn(tokens)).';

	it('before any sign-in: sent without credentials (a public endpoint answers), a 401 keeps ky\'s message and says to sign in first', async () => {
		const seen: Array<string | null> = [];
		msw.use(
			http.get(`${api}/public`, ({request}) => {
				seen.push(request.headers.get('authorization'));
				return HttpResponse.json({public: true});
			}),
			http.get(`${api}/me`, ({request}) => {
				seen.push(request.headers.get('authorization'));
				return new HttpResponse(null, {status: 401});
			}),
		);
		const client = createAuthClient(createAuthSession(), {baseUrl: api, retry: 0});
		expect(await client.get('public').json()).toEqual({public: true});
		const error = await client.get('me').catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(AuthenticationError);
		const notSignedIn = error as AuthenticationError;
		expect(notSignedIn.code).toBe('NOT_SIGNED_IN');
		expect(notSignedIn.response.status).toBe(401);
		expect(notSignedIn.message).toBe(`Request failed with status code 401 Unauthorized: GET ${api}/me. ${NOT_SIGNED_IN}`);
		expect(notSignedIn.stack?.startsWith(`AuthenticationError: ${notSignedIn.message}\n`)).toBe(true);
		expect(seen).toEqual([null, null]);
	});

	it('after a sign-out: the same code, and nothing refreshed', async () => {
		let refreshes = 0;
		msw.use(http.get(`${api}/me`, () => new HttpResponse(null, {status: 401})));
		const session = createAuthSession({refresh: async () => {
			refreshes++;
			return {accessToken: 'never', expiresIn: 300};
		}});
		await session.signIn({accessToken: 'a', refreshToken: 'r', expiresIn: 300});
		await session.signOut();
		const error = await createAuthClient(session, {baseUrl: api, retry: 0}).get('me').catch((error_: unknown) => error_);
		expect(error).toMatchObject({name: 'AuthenticationError', code: 'NOT_SIGNED_IN'});
		expect(refreshes).toBe(0);
	});

	it('the fetch adapter returns that 401 as a response, as it does every received 401', async () => {
		msw.use(http.get(`${api}/me`, () => new HttpResponse(null, {status: 401})));
		const response = await createAuthFetch(createAuthSession(), {baseUrl: api})(`${api}/me`);
		expect(response.status).toBe(401);
	});
});

describe('AUTHENTICATION_FAILED says what to check', () => {
	it('a 401 that survives the refresh and the retry', async () => {
		msw.use(http.get(`${api}/me`, () => new HttpResponse(null, {status: 401})));
		const session = createAuthSession({refresh: async () => ({accessToken: 'NEW-token-5150', expiresIn: 300})});
		await session.signIn({accessToken: 'stale', expiresIn: 300});
		const error = await createAuthClient(session, {baseUrl: api, retry: 0}).get('me').catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(AuthenticationError);
		const failed = error as AuthenticationError;
		expect(failed.code).toBe('AUTHENTICATION_FAILED');
		expect(failed.message.startsWith(`Request failed with status code 401 Unauthorized: GET ${api}/me. The server refused the credentials`)).toBe(true);
		expect(failed.message.endsWith(FAILED_HINT)).toBe(true);
		expect(failed.message).not.toContain('NEW-token-5150');
	});

	it('the default code gets its hint too', () => {
		const failed = new AuthenticationError({response: new Response(null, {status: 401}), request: new Request(`${api}/me`)});
		expect(failed.code).toBe('AUTHENTICATION_FAILED');
		expect(failed.message.endsWith(FAILED_HINT)).toBe(true);
	});
});
