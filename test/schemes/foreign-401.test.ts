import {HTTPError} from 'ky';
import {afterEach, describe, expect, it} from 'vitest';
import {AuthenticationError, createAuthClient, createAuthFetch, PermissionError, StepUpRequiredError} from '../../src/index.js';
import {bearerToken, countingSession, credentialsIn, noCredentials, schemeCases} from './cases.js';
import {answer, closeOrigins, redirect, startOrigin, type Origin} from './origins.js';

afterEach(closeOrigins);

/** Origin A redirects (302) every request to B's /cdn/file, which answers `status` with a Bearer challenge. */
async function redirectedTo(status: 401 | 403): Promise<{a: Origin; b: Origin}> {
	const a = await startOrigin();
	const b = await startOrigin();
	a.reply = (_request, response) => {
		redirect(response, 302, b.url('/cdn/file'));
	};
	b.reply = (_request, response) => {
		answer(response, status, {error: 'nope'}, {'www-authenticate': 'Bearer realm="cdn", error="invalid_token"'});
	};
	return {a, b};
}

describe.each(schemeCases)('$name bound to A: A 302 → B, and B answers 401', scheme => {
	it('createAuthClient: a plain ky HTTPError (not AuthenticationError), 0 refreshes, the token kept', async () => {
		const {a, b} = await redirectedTo(401);
		const {session, refreshes} = await countingSession();
		const own = scheme.scheme();
		const client = createAuthClient(session, {baseUrl: a.url('/'), retry: 0, ...(own === undefined ? {} : {scheme: own})});

		const error = await client.get('download').catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(HTTPError);
		expect(error).not.toBeInstanceOf(AuthenticationError);
		expect(error).not.toBeInstanceOf(StepUpRequiredError);
		const {response} = error as HTTPError;
		expect(response.status).toBe(401);
		expect(response.redirected).toBe(true);
		expect(response.url).toBe(b.url('/cdn/file'));
		expect(refreshes).toHaveLength(0);
		expect(await session.getAccessToken()).toBe(bearerToken);
		expect(a.seen).toHaveLength(1);
		expect(b.seen.map(seen => credentialsIn(seen))).toEqual([noCredentials]);
	});

	it('createAuthFetch: the 401 is returned, redirected, with B\'s URL; 0 refreshes', async () => {
		const {a, b} = await redirectedTo(401);
		const {session, refreshes} = await countingSession();
		const own = scheme.scheme();
		const authFetch = createAuthFetch(session, {baseUrl: a.url('/'), ...(own === undefined ? {} : {scheme: own})});

		const response = await authFetch(a.url('/download'));

		expect(response.status).toBe(401);
		expect(response.redirected).toBe(true);
		expect(response.url).toBe(b.url('/cdn/file'));
		expect(refreshes).toHaveLength(0);
		expect(a.seen).toHaveLength(1);
		expect(b.seen).toHaveLength(1);
	});

	it('createAuthClient, B answers 403: a plain HTTPError, not a PermissionError', async () => {
		const {a, b} = await redirectedTo(403);
		const {session, refreshes} = await countingSession();
		const own = scheme.scheme();
		const client = createAuthClient(session, {baseUrl: a.url('/'), retry: 0, ...(own === undefined ? {} : {scheme: own})});

		const error = await client.get('download').catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(HTTPError);
		expect(error).not.toBeInstanceOf(PermissionError);
		expect((error as HTTPError).response.url).toBe(b.url('/cdn/file'));
		expect(refreshes).toHaveLength(0);
		expect(b.seen).toHaveLength(1);
	});
});
