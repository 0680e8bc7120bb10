/**
 * Regression: when ky's timeout aborts a request, the Request ky hands to TimeoutError and to
 * beforeError hooks no longer carries Authorization, even if the transport ignores the abort. Spec item 12.
 */
import {http, HttpResponse, delay} from 'msw';
import {TimeoutError} from 'ky';
import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession} from '../../src/index.js';
import {useMsw} from '../helpers/msw.js';

const api = 'https://api.example.test';
const msw = useMsw();
const SECRET = 'ACCESS-secret-timeout';

/** A transport that ignores the abort signal and answers late (many fetch wrappers drop `signal`). */
const slowFetch: typeof fetch = async () => new Promise(resolve => {
	setTimeout(() => resolve(new Response('{}')), 1000);
});

describe("ky's TimeoutError never exposes the token", () => {
	for (const retry of [0, undefined]) {
		it(`retry ${String(retry)}: error.request and the request seen by beforeError carry no Authorization`, async () => {
			const session = createAuthSession();
			await session.signIn({accessToken: SECRET});
			const seenByHook: Array<string | null> = [];
			const client = createAuthClient(session, {
				baseUrl: api,
				fetch: slowFetch,
				timeout: 30,
				...(retry === undefined ? {} : {retry}),
				hooks: {beforeError: [({request, error}) => {
					seenByHook.push(request.headers.get('authorization'));
					return error;
				}]},
			});
			const error = await client.get('x').catch((error_: unknown) => error_) as TimeoutError;
			expect(error).toBeInstanceOf(TimeoutError);
			expect(seenByHook).toEqual([null]);
			expect(error.request.headers.get('authorization')).toBeNull();
		});
	}

	it('PIN (passes): with the real fetch, which honours the abort, the hook does not see it', async () => {
		msw.use(http.get(`${api}/x`, async () => {
			await delay(1000);
			return HttpResponse.json({});
		}));
		const session = createAuthSession();
		await session.signIn({accessToken: SECRET});
		const seenByHook: Array<string | null> = [];
		const client = createAuthClient(session, {baseUrl: api, timeout: 30, retry: 0, hooks: {beforeError: [({error}) => {
			seenByHook.push((error as TimeoutError).request.headers.get('authorization'));
			return error;
		}]}});
		const error = await client.get('x').catch((error_: unknown) => error_) as TimeoutError;
		expect(error).toBeInstanceOf(TimeoutError);
		expect(seenByHook).toEqual([null]);
	});
});
