import {NetworkError} from 'ky';
import {afterEach, describe, expect, it} from 'vitest';
import {createAuthClient, createAuthFetch} from '../../src/index.js';
import {countingSession, schemeCases} from './cases.js';
import {closeOrigins, redirect, startOrigin, type Origin} from './origins.js';

afterEach(closeOrigins);

/** Origin A: /hop/n answers 302 to /hop/n+1, forever. */
async function endlessRedirects(): Promise<Origin> {
	const a = await startOrigin();
	a.reply = (request, response) => {
		const n = Number(request.url.pathname.split('/')[2]);
		redirect(response, 302, `/hop/${n + 1}`);
	};
	return a;
}

/** The first request plus the 20 redirects the Fetch standard follows (§4.4: a 21st redirect is a network error). */
const hopsAtMost = 21;

describe.each(schemeCases)('$name bound to A: more than 20 redirects', scheme => {
	it('createAuthFetch rejects with a TypeError; no hop beyond the 21st, every hop credentialed', async () => {
		const a = await endlessRedirects();
		const {session, refreshes} = await countingSession();
		const own = scheme.scheme();
		const authFetch = createAuthFetch(session, {baseUrl: a.url('/'), ...(own === undefined ? {} : {scheme: own})});

		await expect(authFetch(a.url('/hop/0'))).rejects.toBeInstanceOf(TypeError);

		expect(a.seen.map(seen => seen.url.pathname)).toEqual(Array.from({length: hopsAtMost}, (_, n) => `/hop/${n}`));
		expect(a.seen.every(seen => scheme.credential(seen) === scheme.expected)).toBe(true);
		expect(refreshes).toHaveLength(0);
	});

	it('createAuthClient (retry: 0) rejects: a TypeError (API keys, ky-auth follows) or ky\'s NetworkError caused by one (the platform follows)', async () => {
		const a = await endlessRedirects();
		const {session} = await countingSession();
		const own = scheme.scheme();
		const client = createAuthClient(session, {baseUrl: a.url('/'), retry: 0, ...(own === undefined ? {} : {scheme: own})});

		const error = await client.get('hop/0').catch((caught: unknown) => caught);

		if (scheme.perHop) {
			// ky-auth's own limit: a TypeError that is no network error to ky (so ky's retry would not repeat it).
			expect(error).toBeInstanceOf(TypeError);
			expect((error as TypeError).message).toBe('ky-auth: more than 20 redirects');
		} else {
			// undici's "fetch failed" TypeError, which ky wraps as a NetworkError (and would retry with retry > 0).
			expect(error).toBeInstanceOf(NetworkError);
			expect((error as NetworkError).cause).toBeInstanceOf(TypeError);
		}
		expect(a.seen).toHaveLength(hopsAtMost);
	});
});
