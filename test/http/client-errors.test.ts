import {HTTPError} from 'ky';
import {http, HttpResponse} from 'msw';
import {describe, expect, it, vi} from 'vitest';
import {AuthenticationError, createAuthClient, createAuthFetch, createAuthSession, PermissionError, RefreshError, StoreError} from '../../src/index.js';
import {useMsw} from '../helpers/msw.js';

const api = 'https://api.example.test';
const msw = useMsw();

function countingRefresh() {
	let next = 1;
	return vi.fn(async () => ({accessToken: `fresh-${next++}`, expiresIn: 300}));
}

async function session(refresh = countingRefresh()) {
	const value = createAuthSession({refresh});
	await value.signIn({accessToken: 'initial', expiresIn: 300});
	return {session: value, refresh};
}

describe('403 is a permission problem', () => {
	it('throws PermissionError at once with requiredScopes: no refresh, no retry, even when retry lists 403', async () => {
		let calls = 0;
		msw.use(http.get(`${api}/admin`, () => {
			calls++;
			return HttpResponse.json({error: 'nope'}, {status: 403, headers: {'www-authenticate': 'Bearer error="insufficient_scope", scope="admin write"'}});
		}));
		const {session: s, refresh} = await session();
		const client = createAuthClient(s, {baseUrl: api, retry: {limit: 5, statusCodes: [403, 401], methods: ['get'], delay: () => 0}});
		const error = await client.get('admin').json().catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(PermissionError);
		expect(error).toBeInstanceOf(HTTPError);
		const permission = error as PermissionError;
		expect(permission.code).toBe('PERMISSION_DENIED');
		expect(permission.requiredScopes).toEqual(['admin', 'write']);
		expect(permission.challenges[0]?.scheme).toBe('bearer');
		expect(permission.response.status).toBe(403);
		expect(permission.data).toEqual({error: 'nope'});
		expect(calls).toBe(1);
		expect(refresh).not.toHaveBeenCalled();
	});

	it('with throwHttpErrors: false the 403 response is returned', async () => {
		msw.use(http.get(`${api}/admin`, () => new HttpResponse(null, {status: 403})));
		const {session: s} = await session();
		const response = await createAuthClient(s, {baseUrl: api}).get('admin', {throwHttpErrors: false});
		expect(response.status).toBe(403);
	});
});

describe('401 that survives one refresh and one retry', () => {
	it('throws AuthenticationError with the parsed challenges after exactly one refresh and one retry', async () => {
		const seen: string[] = [];
		msw.use(http.get(`${api}/me`, ({request}) => {
			seen.push(request.headers.get('authorization') ?? '');
			return HttpResponse.json({error: 'invalid_token'}, {status: 401, headers: {'www-authenticate': 'Bearer realm="api", error="invalid_token"'}});
		}));
		const {session: s, refresh} = await session();
		const client = createAuthClient(s, {baseUrl: api, retry: {limit: 3, statusCodes: [401], delay: () => 0}});
		const error = await client.get('me').catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(AuthenticationError);
		expect(error).toBeInstanceOf(HTTPError);
		expect((error as AuthenticationError).code).toBe('AUTHENTICATION_FAILED');
		expect((error as AuthenticationError).challenges).toEqual([{scheme: 'bearer', params: {realm: 'api', error: 'invalid_token'}}]);
		expect(refresh).toHaveBeenCalledTimes(1);
		expect(seen).toEqual(['Bearer initial', 'Bearer fresh-1']);
	});

	it('an unparseable WWW-Authenticate is treated as absent', async () => {
		msw.use(http.get(`${api}/me`, () => new HttpResponse(null, {status: 401, headers: {'www-authenticate': 'Bearer realm="unterminated'}})));
		const {session: s} = await session();
		const error = await createAuthClient(s, {baseUrl: api}).get('me').catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(AuthenticationError);
		expect((error as AuthenticationError).challenges).toEqual([]);
	});

	it('with throwHttpErrors: false the final 401 response is returned', async () => {
		msw.use(http.get(`${api}/me`, () => new HttpResponse('no', {status: 401})));
		const {session: s, refresh} = await session();
		const response = await createAuthClient(s, {baseUrl: api, throwHttpErrors: false}).get('me');
		expect(response.status).toBe(401);
		expect(await response.text()).toBe('no');
		expect(refresh).toHaveBeenCalledTimes(1);
	});

	it('without a refresh function a 401 simply surfaces as AuthenticationError', async () => {
		msw.use(http.get(`${api}/me`, () => new HttpResponse(null, {status: 401})));
		const s = createAuthSession();
		await s.signIn({accessToken: 'a'});
		const error = await createAuthClient(s, {baseUrl: api}).get('me').catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(AuthenticationError);
	});

	it('a request sent while signed out carries no credentials and its 401 triggers no refresh', async () => {
		const headers: Array<string | null> = [];
		msw.use(http.get(`${api}/me`, ({request}) => {
			headers.push(request.headers.get('authorization'));
			return new HttpResponse(null, {status: 401});
		}));
		const refresh = countingRefresh();
		const s = createAuthSession({refresh});
		const error = await createAuthClient(s, {baseUrl: api}).get('me').catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(AuthenticationError);
		expect(headers).toEqual([null]);
		expect(refresh).not.toHaveBeenCalled();
	});
});

describe('credentials go only to allowed origins', () => {
	it('attaches to the baseUrl origin, leaves other origins untouched and never refreshes on their 401', async () => {
		const seen: Record<string, string | null> = {};
		msw.use(
			http.get(`${api}/me`, ({request}) => {
				seen.api = request.headers.get('authorization');
				return HttpResponse.json({});
			}),
			http.get('https://evil.example.test/steal', ({request}) => {
				seen.evil = request.headers.get('authorization');
				return new HttpResponse(null, {status: 401});
			}),
		);
		const {session: s, refresh} = await session();
		const client = createAuthClient(s, {baseUrl: api});
		await client.get('me');
		const error = await client.get('https://evil.example.test/steal').catch((error_: unknown) => error_);
		expect(seen).toEqual({api: 'Bearer initial', evil: null});
		expect(error).toBeInstanceOf(HTTPError);
		expect(error).not.toBeInstanceOf(AuthenticationError);
		expect(refresh).not.toHaveBeenCalled();
	});

	it('a lookalike origin (other port, other scheme, suffixed host, other host) gets nothing', async () => {
		const seen: Array<string | null> = [];
		const record = ({request}: {request: Request}) => {
			seen.push(request.headers.get('authorization'));
			return HttpResponse.json({});
		};
		msw.use(http.get('https://api.example.test:8443/x', record), http.get('http://api.example.test/x', record),
			http.get('https://api.example.test.evil.test/x', record), http.get('https://evil.test/x', record));
		const {session: s} = await session();
		const client = createAuthClient(s, {baseUrl: api});
		await client.get('https://api.example.test:8443/x');
		await client.get('http://api.example.test/x');
		await client.get('https://api.example.test.evil.test/x');
		await client.get('https://evil.test/x');
		expect(seen).toEqual([null, null, null, null]);
	});

	it('allowedOrigins as a list or a predicate, and prefix as the default', async () => {
		const seen: Array<string | null> = [];
		msw.use(http.get('https://files.example.test/f', ({request}) => {
			seen.push(request.headers.get('authorization'));
			return HttpResponse.json({});
		}));
		const {session: s} = await session();
		await createAuthClient(s, {allowedOrigins: ['https://files.example.test/ignored/path']}).get('https://files.example.test/f');
		await createAuthClient(s, {allowedOrigins: url => url.hostname.endsWith('.example.test')}).get('https://files.example.test/f');
		await createAuthClient(s, {prefix: 'https://files.example.test/'}).get('f');
		expect(seen).toEqual(['Bearer initial', 'Bearer initial', 'Bearer initial']);
	});

	it('a relative prefix resolves against baseUrl, in the client and in .extend()', async () => {
		const seen: Array<string | null> = [];
		msw.use(http.get(`${api}/v1/me`, ({request}) => {
			seen.push(request.headers.get('authorization'));
			return HttpResponse.json({});
		}), http.get(`${api}/v2/me`, ({request}) => {
			seen.push(request.headers.get('authorization'));
			return HttpResponse.json({});
		}));
		const {session: s} = await session();
		const client = createAuthClient(s, {baseUrl: `${api}/`, prefix: 'v1'});
		await client.get('me');
		await client.extend({prefix: 'v2'}).get('me');
		expect(seen).toEqual(['Bearer initial', 'Bearer initial']);
	});

	it("leaves a caller's own Authorization header as it is", async () => {
		const seen: Array<string | null> = [];
		msw.use(http.get(`${api}/me`, ({request}) => {
			seen.push(request.headers.get('authorization'));
			return new HttpResponse(null, {status: 401});
		}));
		const {session: s, refresh} = await session();
		const response = await createAuthClient(s, {baseUrl: api, throwHttpErrors: false}).get('me', {headers: {authorization: 'Basic abc'}});
		expect(response.status).toBe(401);
		expect(seen).toEqual(['Basic abc']);
		expect(refresh).not.toHaveBeenCalled();
	});

	it('uses the token type as scheme unless authScheme is set', async () => {
		const seen: Array<string | null> = [];
		msw.use(http.get(`${api}/me`, ({request}) => {
			seen.push(request.headers.get('authorization'));
			return HttpResponse.json({});
		}));
		const s = createAuthSession();
		await s.signIn({accessToken: 't', tokenType: 'mac'});
		await createAuthClient(s, {baseUrl: api}).get('me');
		await createAuthClient(s, {baseUrl: api, authScheme: 'Token'}).get('me');
		expect(seen).toEqual(['mac t', 'Token t']);
	});

	it('never sends a DPoP-bound token as a bearer token: the request fails before it leaves', async () => {
		const seen: Array<string | null> = [];
		msw.use(http.get(`${api}/me`, ({request}) => {
			seen.push(request.headers.get('authorization'));
			return HttpResponse.json({});
		}));
		const s = createAuthSession();
		await s.signIn({accessToken: 'dpop-bound-secret', tokenType: 'DPoP'});
		const failure = await createAuthClient(s, {baseUrl: api}).get('me').catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(TypeError);
		expect(String(failure)).toContain('dpop() from "ky-auth/dpop"');
		expect(String(failure)).not.toContain('dpop-bound-secret');
		expect(seen).toEqual([]);
	});

	it('refuses authScheme "DPoP" at creation, pointing to dpop()', () => {
		const s = createAuthSession();
		expect(() => createAuthClient(s, {baseUrl: api, authScheme: 'DPoP'})).toThrow(/dpop\(\) from "ky-auth\/dpop"/);
		expect(() => createAuthFetch(s, {baseUrl: api, authScheme: 'dpop'})).toThrow(TypeError);
	});
});

describe('.extend() keeps the auth behaviour', () => {
	it('an extended client (object and function forms) still attaches, refreshes and types errors', async () => {
		let first = true;
		const seen: Array<string | null> = [];
		msw.use(http.get(`${api}/v2/me`, ({request}) => {
			seen.push(request.headers.get('authorization'));
			if (first) {
				first = false;
				return new HttpResponse(null, {status: 401});
			}
			return HttpResponse.json({ok: true});
		}), http.get(`${api}/v2/forbidden`, () => new HttpResponse(null, {status: 403})));
		const {session: s, refresh} = await session();
		const child = createAuthClient(s, {baseUrl: api}).extend({prefix: `${api}/v2`, headers: {'x-a': '1'}});
		expect(await child.get('me').json()).toEqual({ok: true});
		expect(seen).toEqual(['Bearer initial', 'Bearer fresh-1']);
		expect(refresh).toHaveBeenCalledTimes(1);
		const grandchild = child.extend(parent => ({...parent, timeout: 5000}));
		await expect(grandchild.get('forbidden')).rejects.toBeInstanceOf(PermissionError);
	});
});

describe('ky never retries what ky-auth owns, however retry is configured', () => {
	it('a per-request retry with its own shouldRetry and 403 in statusCodes still surfaces one PermissionError', async () => {
		let calls = 0;
		msw.use(http.get(`${api}/admin`, () => {
			calls++;
			return new HttpResponse(null, {status: 403});
		}));
		const {session: s} = await session();
		const client = createAuthClient(s, {baseUrl: api});
		const error = await client.get('admin', {retry: {limit: 3, statusCodes: [403], delay: () => 0, shouldRetry: () => true}}).catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(PermissionError);
		expect(calls).toBe(1);
	});

	it('a per-request retry number keeps 401 to one refresh and one retry', async () => {
		let calls = 0;
		msw.use(http.get(`${api}/me`, () => {
			calls++;
			return new HttpResponse(null, {status: 401});
		}));
		const {session: s, refresh} = await session();
		const error = await createAuthClient(s, {baseUrl: api, retry: {limit: 2, statusCodes: [401]}}).get('me', {retry: 5}).catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(AuthenticationError);
		expect(calls).toBe(2);
		expect(refresh).toHaveBeenCalledTimes(1);
	});

	it("with ky's default retry (no retry option), a refresh that fails like a network error is not retried by ky", async () => {
		let calls = 0;
		msw.use(http.get(`${api}/me`, () => {
			calls++;
			return new HttpResponse(null, {status: 401});
		}));
		const refresh = vi.fn(async (): Promise<null> => {
			throw new TypeError('fetch failed');
		});
		const {session: s} = await session(refresh as unknown as ReturnType<typeof countingRefresh>);
		const error = await createAuthClient(s, {baseUrl: api}).get('me').catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(RefreshError);
		expect((error as RefreshError).code).toBe('REFRESH_FAILED');
		expect(refresh).toHaveBeenCalledTimes(1);
		expect(calls).toBe(1);
	});

	it("with ky's default retry, a store that throws surfaces once as StoreError", async () => {
		let calls = 0;
		msw.use(http.get(`${api}/me`, () => {
			calls++;
			return HttpResponse.json({});
		}));
		let reads = 0;
		const s = createAuthSession({store: {get: () => {
			reads++;
			throw new Error('disk on fire');
		}, set: () => undefined}});
		const readsBefore = reads; // the session tries once at creation
		const error = await createAuthClient(s, {baseUrl: api}).get('me').catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(StoreError);
		expect(reads - readsBefore).toBe(1);
		expect(calls).toBe(0);
	});
});
