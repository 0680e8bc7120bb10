/**
 * Regression: a token (or tokenType) a header cannot carry is refused as "not a TokenSet" instead of
 * reaching Headers.set, whose TypeError would quote it. Spec item 12.
 */
import {inspect} from 'node:util';
import {http, HttpResponse} from 'msw';
import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthFetch, createAuthSession} from '../../src/index.js';
import {useMsw} from '../helpers/msw.js';

const api = 'https://api.example.test';
const msw = useMsw();
const SECRET = 'SECRET-access-4242';

function views(error: unknown): string[] {
	return [(error as Error).message, (error as Error).stack ?? '', String(error), JSON.stringify(error), inspect(error, {depth: 10})];
}

describe('a token that is not a valid header value', () => {
	for (const [name, tokens] of [
		['access token with an embedded newline', {accessToken: `${SECRET}\nX`}],
		['access token with a NUL', {accessToken: `${SECRET}\0`}],
		['tokenType with a newline', {accessToken: SECRET, tokenType: 'Bearer\nx'}],
	] as const) {
		it(`ky client: ${name} never shows up in the thrown error`, async () => {
			msw.use(http.get(`${api}/x`, () => HttpResponse.json({})));
			const session = createAuthSession();
			// Rejecting such tokens at signIn (a TypeError that does not echo them) is a fine outcome too.
			const error = await session.signIn(tokens)
				.then(async () => createAuthClient(session, {baseUrl: api, retry: 0}).get('x'))
				.catch((error_: unknown) => error_);
			expect(error).toBeInstanceOf(Error);
			for (const view of views(error)) {
				expect(view).not.toContain(SECRET);
			}
		});

		it(`fetch adapter: ${name} never shows up in the thrown error`, async () => {
			msw.use(http.get(`${api}/x`, () => HttpResponse.json({})));
			const session = createAuthSession();
			const error = await session.signIn(tokens)
				.then(async () => createAuthFetch(session, {baseUrl: api})(`${api}/x`))
				.catch((error_: unknown) => error_);
			expect(error).toBeInstanceOf(Error);
			for (const view of views(error)) {
				expect(view).not.toContain(SECRET);
			}
		});
	}

	it('a refresh that returns such a token is a RefreshError (not a TokenSet), and the token never shows up', async () => {
		msw.use(http.get(`${api}/x`, ({request}) => new HttpResponse(null, {status: request.headers.get('authorization') === 'Bearer old' ? 401 : 200})));
		const session = createAuthSession({refresh: async () => ({accessToken: `${SECRET}\nX`})});
		await session.signIn({accessToken: 'old'});
		const error = await createAuthClient(session, {baseUrl: api, retry: 0}).get('x').catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(Error);
		for (const view of views(error)) {
			expect(view).not.toContain(SECRET);
		}
	});
});
