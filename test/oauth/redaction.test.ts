import {inspect} from 'node:util';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {RefreshError} from '../../src/index.js';
import {clientCredentials, clientSecretBasic, clientSecretPost, privateKeyJwt, refreshTokenGrant, type OAuthFetch} from '../../src/oauth/index.js';
import {context, startTokenServer, type TokenServer} from './token-server.js';

// No token or secret may appear in what a log shows of a failure: its message, stack, util.inspect (all
// levels, hidden fields too) or JSON.

let server: TokenServer;
const secret = 'Sup3r:Secret+Value%20ü';
const refreshToken = 'rt-Very-Secret-Refresh-Token-42';

beforeEach(async () => {
	server = await startTokenServer();
});

afterEach(async () => {
	await server.close();
});

function spellings(value: string): string[] {
	return [value, encodeURIComponent(value), new URLSearchParams({v: value}).toString().slice(2), JSON.stringify(value).slice(1, -1)];
}

async function rejection(promise: Promise<unknown>): Promise<RefreshError> {
	const error = await promise.then(() => undefined, (error: unknown) => error);
	expect(error).toBeInstanceOf(RefreshError);
	return error as RefreshError;
}

function expectNothingOf(error: RefreshError, values: readonly string[]): void {
	const shown = [
		error.message,
		error.stack ?? '',
		inspect(error, {depth: 10}),
		inspect(error, {depth: 10, showHidden: true}),
		JSON.stringify(error),
		JSON.stringify(error.cause ?? null),
	].join('\n');
	for (const value of values.flatMap(spellings)) {
		expect(shown).not.toContain(value);
	}
}

/** A fetch whose failure carries everything it was given: the URL, the headers, the form body. */
const leakyFetch: OAuthFetch = async (url, init) => {
	const body = init.body instanceof URLSearchParams ? init.body.toString() : '';
	const headers = JSON.stringify(init.headers);
	throw new TypeError(`fetch ${url} failed; body ${body}; headers ${headers}`, {cause: {init, body: init.body, headers: new Headers(init.headers)}});
};

describe('redaction of every failure', () => {
	it('client_secret_basic: a fetch error carrying the Authorization header and body', async () => {
		const authorization = `Basic ${btoa(`svc:${encodeURIComponent(secret)}`)}`;
		const error = await rejection(clientCredentials({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'svc', clientAuthentication: clientSecretBasic(secret), fetch: leakyFetch})(context()));
		expect(error.code).toBe('REFRESH_FAILED');
		expect(inspect(error, {depth: 10})).toContain('[REDACTED]');
		expectNothingOf(error, [secret, authorization.slice(6)]);
	});

	it('client_secret_post and the refresh token: a fetch error carrying the form body', async () => {
		const error = await rejection(refreshTokenGrant({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'web', clientAuthentication: clientSecretPost(secret), fetch: leakyFetch})(context({accessToken: 'a', refreshToken})));
		expectNothingOf(error, [secret, refreshToken]);
	});

	it('private_key_jwt: a fetch error carrying the signed assertion', async () => {
		const {privateKey} = await crypto.subtle.generateKey({name: 'ECDSA', namedCurve: 'P-256'}, false, ['sign', 'verify']);
		let assertion = '';
		const fetch: OAuthFetch = async (url, init) => {
			assertion = new URLSearchParams(init.body as URLSearchParams).get('client_assertion') ?? '';
			return leakyFetch(url, init);
		};
		const error = await rejection(clientCredentials({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'svc', clientAuthentication: privateKeyJwt(privateKey), fetch})(context()));
		expect(assertion.split('.')).toHaveLength(3);
		expectNothingOf(error, [assertion, ...assertion.split('.').slice(1)]);
	});

	it('a server that echoes the secret and the refresh token in error_description', async () => {
		server.answerNext({status: 400, body: {error: 'invalid_request', error_description: `secret ${secret} and token ${refreshToken} are not accepted`}});
		const error = await rejection(refreshTokenGrant({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'web', clientAuthentication: clientSecretPost(secret)})(context({accessToken: 'a', refreshToken})));
		expect(error.code).toBe('CONFIGURATION_ERROR');
		expect(error.message).toContain('[REDACTED]');
		expectNothingOf(error, [secret, refreshToken]);
	});

	it('a malformed 200 answer: the tokens it holds are kept out of the cause', async () => {
		const accessToken = 'at-Leaky-Access-Token-0123456789';
		const rotated = 'rt-Leaky-Rotated-Token-0123456789';
		server.answerNext({status: 200, body: {access_token: accessToken, refresh_token: rotated, id_token: 'id-Leaky-Id-Token-0123456789', expires_in: 60}});
		const error = await rejection(refreshTokenGrant({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'web', clientAuthentication: clientSecretPost(secret)})(context({accessToken: 'a', refreshToken})));
		expect(error.code).toBe('REFRESH_FAILED');
		expect(error.message).toContain('without a valid token response');
		// The cause says why (no token_type), with the body's tokens redacted.
		expect(inspect(error.cause, {depth: 10})).toContain('token_type');
		expectNothingOf(error, [secret, refreshToken, accessToken, rotated, 'id-Leaky-Id-Token-0123456789']);
	});

	it('connection refused, 401, 503 and a redirect: nothing of the secret either', async () => {
		server.register({id: 'svc', method: 'client_secret_basic', secret: 'another'});
		server.answerNext({status: 503, headers: {'retry-after': '1'}});
		const make = (tokenEndpoint: string) => clientCredentials({tokenEndpoint, allowInsecureRequests: true, clientId: 'svc', clientAuthentication: clientSecretBasic(secret)});
		const errors = [
			await rejection(make(server.tokenEndpoint)(context())),
			await rejection(make(server.tokenEndpoint)(context())),
			await rejection(make(server.redirectingEndpoint)(context())),
			await rejection(make('http://127.0.0.1:1/token')(context())),
		];
		expect(errors.map(error => error.code)).toEqual(['REFRESH_FAILED', 'CONFIGURATION_ERROR', 'REFRESH_FAILED', 'REFRESH_FAILED']);
		for (const error of errors) {
			expectNothingOf(error, [secret]);
		}
	});
});
