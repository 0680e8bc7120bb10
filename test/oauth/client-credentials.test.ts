import {inspect} from 'node:util';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ConfigurationError, RefreshError} from '../../src/index.js';
import {clientCredentials, clientSecretBasic, type ClientCredentialsOptions} from '../../src/oauth/index.js';
import {context, refusedEndpoint, startTokenServer, type TokenServer} from './token-server.js';

let server: TokenServer;
const secret = 'cc-secret-Zq9';

beforeEach(async () => {
	server = await startTokenServer();
	server.register({id: 'svc', method: 'client_secret_basic', secret});
});

afterEach(async () => {
	await server.close();
});

function options(extra: Partial<ClientCredentialsOptions> = {}): ClientCredentialsOptions {
	return {tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'svc', clientAuthentication: clientSecretBasic(secret), ...extra};
}

async function failure(promise: Promise<unknown>): Promise<RefreshError> {
	const error = await promise.then(() => undefined, (error: unknown) => error);
	expect(error).toBeInstanceOf(RefreshError);
	return error as RefreshError;
}

describe('clientCredentials: success', () => {
	it('sends grant_type, scope, audience, resource and extra parameters; returns the token with expiresAt and scope', async () => {
		const clock = 1_000_000;
		const refresh = clientCredentials(options({
			scope: ['reports:read', 'reports:write'],
			audience: 'https://api.example.com',
			resource: ['https://a.example.com/', 'https://b.example.com/v1'],
			parameters: {tenant: 'acme', claims: ['x', 'y']},
			now: () => clock,
		}));
		const tokens = await refresh(context({accessToken: 'ignored', refreshToken: 'ignored'}));
		expect(tokens).toEqual({accessToken: expect.stringMatching(/^at-/), tokenType: 'Bearer', expiresAt: 1_000_000 + 300_000, scope: 'reports:read reports:write'});
		const [call] = server.calls;
		expect(call?.grant).toBe('client_credentials');
		expect(call?.params.get('scope')).toBe('reports:read reports:write');
		expect(call?.params.getAll('audience')).toEqual(['https://api.example.com']);
		expect(call?.params.getAll('resource')).toEqual(['https://a.example.com/', 'https://b.example.com/v1']);
		expect(call?.params.get('tenant')).toBe('acme');
		expect(call?.params.getAll('claims')).toEqual(['x', 'y']);
		// The tokens it was given are ignored: nothing of them is sent.
		expect(call?.params.has('refresh_token')).toBe(false);
	});

	it('expires_in as a string works (oauth4webapi parses it), and expiry counts from when the request was sent', async () => {
		let clock = 5_000;
		// The server's answer takes 7 seconds by this clock: counting from the arrival would add them.
		server.onTokenRequest = () => {
			clock += 7_000;
		};
		server.expiresIn = '3600';
		const tokens = await clientCredentials(options({now: () => clock}))(context());
		expect(tokens?.expiresAt).toBe(5_000 + 3_600_000);
		server.expiresIn = 120;
		const second = await clientCredentials(options({now: () => clock}))(context());
		expect(second?.expiresAt).toBe(12_000 + 120_000);
	});

	it('without expires_in, no expiresAt (the session falls back to the JWT exp)', async () => {
		server.expiresIn = undefined;
		const tokens = await clientCredentials(options())(context());
		expect(tokens).not.toHaveProperty('expiresAt');
		expect(tokens).not.toHaveProperty('refreshToken');
	});

	it('an expires_in that is not a number is a malformed answer: REFRESH_FAILED', async () => {
		server.expiresIn = 'one hour';
		const error = await failure(clientCredentials(options())(context()));
		expect(error.code).toBe('REFRESH_FAILED');
		expect(error.message).toContain('HTTP 200 without a valid token response');
	});

	it('a token type other than Bearer (DPoP) is a ConfigurationError', async () => {
		server.answerNext({status: 200, body: {access_token: 'at-dpop-bound-1234567890', token_type: 'DPoP', expires_in: 60}});
		const error = await failure(clientCredentials(options())(context()));
		expect(error).toBeInstanceOf(ConfigurationError);
		expect(error.message).toContain('DPoP');
		expect(error.message).not.toContain('at-dpop-bound-1234567890');
	});
});

describe('clientCredentials: outcomes', () => {
	for (const code of ['invalid_client', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'invalid_grant']) {
		it(`400 ${code} is a ConfigurationError naming the code and description`, async () => {
			server.answerNext({status: 400, body: {error: code, error_description: `about ${code}`}});
			const error = await failure(clientCredentials(options())(context()));
			expect(error).toBeInstanceOf(ConfigurationError);
			expect(error.code).toBe('CONFIGURATION_ERROR');
			expect(error.message).toContain(`HTTP 400 ${code} ("about ${code}")`);
			expect(error.retryAfter).toBeUndefined();
		});
	}

	it('a 401 without any OAuth error body is invalid_client (RFC 6749 §5.2): ConfigurationError', async () => {
		server.answerNext({status: 401, headers: {'content-type': 'text/plain'}, body: 'Unauthorized'});
		const error = await failure(clientCredentials(options())(context()));
		expect(error).toBeInstanceOf(ConfigurationError);
		expect(error.message).toContain('HTTP 401 invalid_client');
	});

	it('503 with Retry-After in seconds: REFRESH_FAILED with retryAfter in ms', async () => {
		server.answerNext({status: 503, headers: {'retry-after': '7'}, body: {error: 'temporarily_unavailable'}});
		const error = await failure(clientCredentials(options())(context()));
		expect(error).not.toBeInstanceOf(ConfigurationError);
		expect(error.code).toBe('REFRESH_FAILED');
		expect(error.retryAfter).toBe(7000);
		expect(error.message).toContain('HTTP 503');
	});

	it('429 with Retry-After as an HTTP date: retryAfter counted from the injected clock', async () => {
		const now = Date.parse('2026-11-20T10:00:00Z');
		server.answerNext({status: 429, headers: {'retry-after': 'Fri, 20 Nov 2026 10:00:42 GMT'}, body: {error: 'slow_down'}});
		const error = await failure(clientCredentials(options({now: () => now}))(context()));
		expect(error.code).toBe('REFRESH_FAILED');
		expect(error.retryAfter).toBe(42_000);
	});

	it('500 without Retry-After: REFRESH_FAILED without retryAfter', async () => {
		server.answerNext({status: 500, headers: {'content-type': 'text/html'}, body: '<h1>oops</h1>'});
		const error = await failure(clientCredentials(options())(context()));
		expect(error.code).toBe('REFRESH_FAILED');
		expect(error.retryAfter).toBeUndefined();
	});

	it('an unknown OAuth error at 400 is transient: REFRESH_FAILED', async () => {
		server.answerNext({status: 400, body: {error: 'temporarily_unavailable'}});
		const error = await failure(clientCredentials(options())(context()));
		expect(error.code).toBe('REFRESH_FAILED');
		expect(error.message).toContain('temporarily_unavailable');
	});

	it('a 404 is REFRESH_FAILED naming the status', async () => {
		const error = await failure(clientCredentials(options({tokenEndpoint: `${server.origin}/nowhere`}))(context()));
		expect(error.code).toBe('REFRESH_FAILED');
		expect(error.message).toContain('HTTP 404 without an OAuth error');
	});

	it('connection refused: REFRESH_FAILED with the network error as cause', async () => {
		const endpoint = await refusedEndpoint();
		const error = await failure(clientCredentials(options({tokenEndpoint: endpoint}))(context()));
		expect(error.code).toBe('REFRESH_FAILED');
		expect(error.message).toContain(`the token endpoint ${endpoint} could not be reached`);
		expect(error.cause).toBeInstanceOf(TypeError);
		expect(inspect(error.cause)).toMatch(/ECONNREFUSED/);
	});

	it('a 302 is never followed: REFRESH_FAILED naming the redirect, and the target is never hit', async () => {
		const error = await failure(clientCredentials(options({tokenEndpoint: server.redirectingEndpoint}))(context()));
		expect(error.code).toBe('REFRESH_FAILED');
		expect(error.message).toContain(`HTTP 302, a redirect to ${server.redirectTarget}`);
		expect(error.message).toContain('never follow redirects');
		expect(server.redirectTargetHits).toBe(0);
		// The target would have answered: the redirect alone stopped the request.
		await clientCredentials(options({tokenEndpoint: server.redirectTarget}))(context());
		expect(server.redirectTargetHits).toBe(1);
	});

	it('a custom fetch is used for every request, with redirect: manual', async () => {
		const seen: RequestInit[] = [];
		const refresh = clientCredentials(options({
			fetch: async (url, init) => {
				seen.push(init);
				return fetch(url, init);
			},
		}));
		await refresh(context());
		expect(seen).toHaveLength(1);
		expect(seen[0]?.redirect).toBe('manual');
		expect(seen[0]?.method).toBe('POST');
	});

	it('an aborted signal: REFRESH_FAILED saying so', async () => {
		const controller = new AbortController();
		controller.abort(new Error('refresh timed out'));
		const error = await failure(clientCredentials(options())({tokens: null, reason: 'manual', signal: controller.signal}));
		expect(error.code).toBe('REFRESH_FAILED');
		expect(error.message).toContain('was aborted');
		expect(server.calls).toHaveLength(0);
	});
});

describe('clientCredentials: options are validated at once', () => {
	const cases: Array<[string, Partial<ClientCredentialsOptions> | Record<string, unknown>, string]> = [
		['an http: endpoint without allowInsecureRequests', {allowInsecureRequests: undefined}, 'clientCredentials: options.tokenEndpoint: expected an https: URL (or allowInsecureRequests: true for http: in tests), got a http: URL'],
		['a relative endpoint', {tokenEndpoint: '/token'}, 'clientCredentials: options.tokenEndpoint: expected an absolute URL (a string or a URL), got a string ("/token")'],
		['an endpoint with credentials', {tokenEndpoint: 'https://id:pw@auth.example.com/token'}, 'expected a URL without credentials'],
		['an empty client id', {clientId: ''}, 'clientCredentials: options.clientId: expected the client id, a non-empty string, got a string ("")'],
		['a scope with a space inside an array', {scope: ['a b']}, 'clientCredentials: options.scope[0]: expected a scope (a non-empty string without spaces), got a string ("a b")'],
		['a relative resource', {resource: 'api'}, 'clientCredentials: options.resource: expected an absolute URI without a fragment, got a string ("api")'],
		['a resource with a fragment', {resource: ['https://api.example.com/#x']}, 'options.resource[0]: expected an absolute URI without a fragment'],
		['a reserved parameter', {parameters: {client_secret: 'x'}}, 'clientCredentials: options.parameters: expected no "client_secret" (set by the grant or the client authentication), got one'],
		['scope among the parameters', {parameters: {scope: 'x'}}, 'expected no "scope" (use the scope option), got one'],
		['a non-string parameter', {parameters: {n: 1}}, 'clientCredentials: options.parameters.n: expected a string, or an array of them, got a number (1)'],
		['a fetch that is not a function', {fetch: 'fetch'}, 'clientCredentials: options.fetch: expected a function, got a string ("fetch")'],
		['allowInsecureRequests as a string', {allowInsecureRequests: 'yes'}, 'clientCredentials: options.allowInsecureRequests: expected a boolean, got a string ("yes")'],
	];
	for (const [name, extra, message] of cases) {
		it(`throws a TypeError for ${name}`, () => {
			expect(() => clientCredentials({...options(), ...extra} as ClientCredentialsOptions)).toThrow(message);
			expect(() => clientCredentials({...options(), ...extra} as ClientCredentialsOptions)).toThrow(TypeError);
		});
	}

	it('accepts a URL object and an https endpoint without allowInsecureRequests', () => {
		expect(typeof clientCredentials({...options(), tokenEndpoint: new URL('https://auth.example.com/token'), allowInsecureRequests: false})).toBe('function');
	});
});
