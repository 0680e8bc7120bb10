/**
 * Regression: refresh tokens that URL- or JSON-encoding changes (`1//…`, `…==`) are still found and
 * redacted in a refresh error's cause, so `util.inspect` cannot print them from a form body. Spec item 12.
 */
import {inspect} from 'node:util';
import ky from 'ky';
import {http, HttpResponse} from 'msw';
import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthFetch, createAuthSession, RefreshError, type RefreshFunction} from '../../src/index.js';
import {useMsw} from '../helpers/msw.js';

const api = 'https://api.example.test';
const idp = 'https://idp.example.test/token';
const msw = useMsw();

const refreshWithForm: RefreshFunction = async ({tokens, signal}) => ky.post(idp, {
	body: new URLSearchParams({grant_type: 'refresh_token', refresh_token: tokens!.refreshToken!}),
	retry: 0,
	signal,
}).json();

describe('refresh tokens that URL-encoding changes', () => {
	for (const refreshToken of ['1//0gREFRESH-secret', 'REFRESH+secret/abc==']) {
		for (const adapter of ['client', 'fetch'] as const) {
			it(`${adapter}: a failed token request does not reveal ${JSON.stringify(refreshToken)} through inspect()`, async () => {
				msw.use(
					http.get(`${api}/x`, () => new HttpResponse(null, {status: 401})),
					http.post(idp, () => HttpResponse.json({error: 'server_error'}, {status: 500})),
				);
				const session = createAuthSession({refresh: refreshWithForm});
				await session.signIn({accessToken: 'ACCESS-secret', refreshToken});
				const error = adapter === 'client'
					? await createAuthClient(session, {baseUrl: api}).get('x').catch((error_: unknown) => error_)
					: await createAuthFetch(session, {baseUrl: api})(`${api}/x`).catch((error_: unknown) => error_);
				expect(error).toBeInstanceOf(RefreshError);
				expect(inspect(error, {depth: 10})).not.toContain(refreshToken);
				expect(JSON.stringify(error)).not.toContain(refreshToken);
			});
		}
	}
});
