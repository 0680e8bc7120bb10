/**
 * Issue 19: a RefreshError from the token endpoint carries the OAuth error response as typed fields (`oauth.error`,
 * `oauth.errorDescription`, `oauth.errorUri`) and the HTTP `status`, so an application branches on
 * `invalid_grant` vs `temporarily_unavailable` without parsing a message; the fields hold no secret. Against a
 * real token endpoint on 127.0.0.1 (test/oauth/token-server.ts).
 */
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ConfigurationError, RefreshError} from '../../src/index.js';
import {clientCredentials, clientSecretBasic, none, refreshTokenGrant} from '../../src/oauth/index.js';
import {context, startTokenServer, type TokenServer} from './token-server.js';

let server: TokenServer;
const secret = 'cc-secret-fields-Zq9';

beforeEach(async () => {
	server = await startTokenServer();
	server.register({id: 'svc', method: 'client_secret_basic', secret});
	server.register({id: 'spa', method: 'none'});
});

afterEach(async () => {
	await server.close();
});

async function failure(promise: Promise<unknown>): Promise<RefreshError> {
	const error = await promise.then(() => undefined, (error_: unknown) => error_);
	if (!(error instanceof RefreshError)) {
		throw new TypeError(`expected a RefreshError, got ${String(error)}`);
	}
	return error;
}

const machine = () => clientCredentials({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'svc', clientAuthentication: clientSecretBasic(secret)});

describe('RefreshError: the OAuth error as typed fields', () => {
	it('503 temporarily_unavailable with a description and a URI: oauth and status, a transient REFRESH_FAILED', async () => {
		server.answerNext({status: 503, headers: {'retry-after': '3'}, body: {error: 'temporarily_unavailable', error_description: 'Down for maintenance', error_uri: 'https://status.example.com/'}});
		const error = await failure(machine()(context(undefined)));
		expect(error).not.toBeInstanceOf(ConfigurationError);
		expect(error.code).toBe('REFRESH_FAILED');
		expect(error.status).toBe(503);
		expect(error.retryAfter).toBe(3000);
		expect(error.oauth).toEqual({error: 'temporarily_unavailable', errorDescription: 'Down for maintenance', errorUri: 'https://status.example.com/'});
	});

	it('401 invalid_client (a wrong secret): a ConfigurationError whose oauth.error says so', async () => {
		const wrong = clientCredentials({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'svc', clientAuthentication: clientSecretBasic('not-the-secret')});
		const error = await failure(wrong(context(undefined)));
		expect(error).toBeInstanceOf(ConfigurationError);
		expect(error.status).toBe(401);
		expect(error.oauth?.error).toBe('invalid_client');
		expect(error.oauth?.errorDescription).toBe('Client authentication failed');
	});

	it('invalid_grant, where it is an error (client credentials): read from oauth.error', async () => {
		server.answerNext({status: 400, body: {error: 'invalid_grant', error_description: 'grant revoked'}});
		const error = await failure(machine()(context(undefined)));
		expect(error).toBeInstanceOf(ConfigurationError);
		expect(error.oauth).toEqual({error: 'invalid_grant', errorDescription: 'grant revoked', errorUri: undefined});
		expect(error.status).toBe(400);
	});

	it('a refresh token the server echoes in its description is not in the fields, the message or JSON', async () => {
		const refreshToken = server.issueRefreshToken('spa');
		server.answerNext({status: 400, body: {error: 'invalid_request', error_description: `bad refresh_token ${refreshToken}`, error_uri: `https://x.example/?t=${refreshToken}`}});
		const refresh = refreshTokenGrant({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'spa', clientAuthentication: none()});
		const error = await failure(refresh(context({accessToken: 'a', refreshToken})));
		expect(error.oauth?.error).toBe('invalid_request');
		expect(error.oauth?.errorDescription).toBe('bad refresh_token [REDACTED]');
		expect(error.oauth?.errorUri).toBe('https://x.example/?t=[REDACTED]');
		expect(JSON.stringify(error)).not.toContain(refreshToken);
		expect(error.message).not.toContain(refreshToken);
	});

	it('no OAuth answer (the endpoint is unreachable): oauth and status are undefined', async () => {
		const unreachable = clientCredentials({tokenEndpoint: 'http://127.0.0.1:9/token', allowInsecureRequests: true, clientId: 'svc', clientAuthentication: clientSecretBasic(secret)});
		const error = await failure(unreachable(context(undefined)));
		expect(error.oauth).toBeUndefined();
		expect(error.status).toBeUndefined();
	});
});
