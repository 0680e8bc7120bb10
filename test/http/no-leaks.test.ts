import {inspect} from 'node:util';
import ky from 'ky';
import {http, HttpResponse} from 'msw';
import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthFetch, createAuthSession, memoryStore, type RefreshFunction} from '../../src/index.js';
import {useMsw} from '../helpers/msw.js';

const api = 'https://api.example.test';
const msw = useMsw();
const ACCESS = 'ACCESS-secret-1234567890';
const REFRESH = 'REFRESH-secret-0987654321';
const NEW_ACCESS = 'NEWACCESS-secret-555';

function expectNoSecrets(error: unknown): void {
	expect(error).toBeInstanceOf(Error);
	const views = [
		(error as Error).message,
		(error as Error).stack ?? '',
		String(error),
		JSON.stringify(error),
		inspect(error, {depth: 10}),
	];
	for (const view of views) {
		for (const secret of [ACCESS, REFRESH, NEW_ACCESS]) {
			expect(view).not.toContain(secret);
		}
	}
}

async function session(refresh?: RefreshFunction) {
	const value = createAuthSession({store: memoryStore(), refresh, refreshTimeout: 100});
	await value.signIn({accessToken: ACCESS, refreshToken: REFRESH, expiresIn: 300});
	return value;
}

describe('no credential leaks in errors', () => {
	const cases: Array<[string, () => void, (() => Promise<unknown>) | undefined]> = [
		['401 after refresh (AuthenticationError)', () => msw.use(http.get(`${api}/x`, () => HttpResponse.json({echo: 'nope'}, {status: 401}))), async () => ({accessToken: NEW_ACCESS})],
		['403 (PermissionError)', () => msw.use(http.get(`${api}/x`, () => new HttpResponse(null, {status: 403}))), undefined],
		['500 (ky HTTPError)', () => msw.use(http.get(`${api}/x`, () => new HttpResponse(null, {status: 500}))), undefined],
		['network error (ky NetworkError)', () => msw.use(http.get(`${api}/x`, () => HttpResponse.error())), undefined],
		['refresh throws an error quoting the tokens (RefreshError)', () => msw.use(http.get(`${api}/x`, () => new HttpResponse(null, {status: 401}))), async () => {
			throw new Error(`refresh_token=${REFRESH} rejected for access ${ACCESS}`, {cause: new Error(`inner ${REFRESH}`)});
		}],
		['refresh times out (RefreshError)', () => msw.use(http.get(`${api}/x`, () => new HttpResponse(null, {status: 401}))), async () => new Promise(() => undefined)],
		['refresh returns junk carrying a token (RefreshError)', () => msw.use(http.get(`${api}/x`, () => new HttpResponse(null, {status: 401}))), async () => ({token: REFRESH})],
	];

	for (const [name, shape, refresh] of cases) {
		it(`ky client: ${name}`, async () => {
			shape();
			const s = await session(refresh as never);
			const error = await createAuthClient(s, {baseUrl: api, retry: 0}).get('x').catch((error_: unknown) => error_);
			expectNoSecrets(error);
		});

		it(`fetch adapter: ${name}`, async () => {
			shape();
			const s = await session(refresh as never);
			const result = await createAuthFetch(s, {baseUrl: api})(`${api}/x`).catch((error_: unknown) => error_);
			if (result instanceof Error) {
				expectNoSecrets(result);
			}
		});
	}

	it('a refresh made with ky whose token endpoint fails (form body holding the refresh token) leaks nothing', async () => {
		msw.use(
			http.get(`${api}/x`, () => new HttpResponse(null, {status: 401})),
			http.post('https://idp.example.test/token', () => HttpResponse.json({error: 'server_error'}, {status: 500})),
		);
		const s = await session((async ({tokens}: {tokens: {refreshToken?: string} | null}) => {
			const body = new URLSearchParams({grant_type: 'refresh_token', refresh_token: tokens!.refreshToken!});
			return ky.post('https://idp.example.test/token', {body, retry: 0}).json();
		}) as never);
		const error = await createAuthClient(s, {baseUrl: api}).get('x').catch((error_: unknown) => error_);
		expect(error).toMatchObject({code: 'REFRESH_FAILED'});
		expectNoSecrets(error);
	});

	it('a user header holding a token is not dumped by inspecting a ky error either', async () => {
		msw.use(http.get(`${api}/x`, () => new HttpResponse(null, {status: 500})));
		const s = await session(undefined);
		const error = await createAuthClient(s, {baseUrl: api, retry: 0, headers: {'x-api-key': ACCESS}}).get('x').catch((error_: unknown) => error_);
		expectNoSecrets(error);
	});
});

describe('the Request objects ky-auth hands back never hold the token', () => {
	it("error.request (ky's request) carries no Authorization after the response arrived", async () => {
		msw.use(http.get(`${api}/x`, ({request}) => {
			expect(request.headers.get('authorization')).toBe(`Bearer ${ACCESS}`);
			return new HttpResponse(null, {status: 500});
		}));
		const s = await session(undefined);
		const error = await createAuthClient(s, {baseUrl: api, retry: 0}).get('x').catch((error_: unknown) => error_) as {request: Request};
		expect(error.request.headers.get('authorization')).toBeNull();
	});

	it("the caller's Request passed to the fetch adapter is left untouched", async () => {
		msw.use(http.get(`${api}/x`, () => HttpResponse.json({})));
		const s = await session(undefined);
		const request = new Request(`${api}/x`);
		await createAuthFetch(s, {baseUrl: api})(request);
		expect(request.headers.get('authorization')).toBeNull();
	});
});
