/**
 * Issue 19, DPoP: nonces are kept per origin AND role (RFC 9449 §8 for the authorization server, §9 for a
 * resource server), so an authorization server and an API on one origin never get each other's nonce; and a
 * proof's `htu` is normalised as RFC 9449 §4.3 compares it (RFC 3986 §6.2.2: percent-encodings in upper case,
 * those of unreserved characters decoded). The token endpoint is real (test/oauth/token-server.ts on 127.0.0.1).
 */
import {decodeJwt} from 'jose';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {TokenGrant} from '../../src/types/credentials.js';
import {clientSecretPost, refreshTokenGrant} from '../../src/oauth/index.js';
import {dpop} from '../../src/schemes/dpop/index.js';
import {context, startTokenServer, type TokenServer} from '../oauth/token-server.js';

const secret = 'dpop-roles-secret-3';
let server: TokenServer;

beforeEach(async () => {
	server = await startTokenServer();
	server.register({id: 'web', method: 'client_secret_post', secret});
});
afterEach(async () => {
	await server.close();
});

const grant: TokenGrant = {kind: 'token', token: 'at-dpop-bound', tokenType: 'DPoP', epoch: 0};

function nonceOfCall(index: number): unknown {
	return decodeJwt(String(server.calls[index]?.headers.dpop)).nonce;
}

async function resourceProofNonce(scheme: ReturnType<typeof dpop>, url: string): Promise<unknown> {
	const {headers} = await scheme.credentials({method: 'GET', url, grant});
	const proof = headers.find(([name]) => name === 'dpop')?.[1];
	return decodeJwt(String(proof)).nonce;
}

describe('DPoP nonces per origin and role', () => {
	it('the token endpoint and an API on the same origin each get their own nonce, through ky-auth/oauth', async () => {
		const scheme = dpop();
		const api = `${server.origin}/api/items`;
		const refresh = refreshTokenGrant({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'web', clientAuthentication: clientSecretPost(secret), dpop: scheme});
		// The authorization server demands its nonce: the token request is sent again with it.
		server.answerNext({status: 400, headers: {'dpop-nonce': 'as-nonce-1'}, body: {error: 'use_dpop_nonce'}});
		await refresh(context({accessToken: 'x', refreshToken: server.issueRefreshToken('web')}));
		expect([nonceOfCall(0), nonceOfCall(1)]).toEqual([undefined, 'as-nonce-1']);
		// The API on the same origin answers with a nonce of its own (as the transport shows it every response).
		scheme.observe(new Response(null, {status: 401, headers: {'dpop-nonce': 'rs-nonce-1'}}), api);
		expect(await resourceProofNonce(scheme, api)).toBe('rs-nonce-1');
		// The next token request carries the authorization server's nonce, not the API's: no new demand.
		await refresh(context({accessToken: 'x', refreshToken: server.issueRefreshToken('web')}));
		expect(nonceOfCall(2)).toBe('as-nonce-1');
		expect(server.calls.map(call => call.outcome)).toEqual(['scripted 400', 'issued', 'issued']);
		// And the API's nonce is still the API's after the token endpoint answered again.
		expect(await resourceProofNonce(scheme, api)).toBe('rs-nonce-1');
	});

	it('a nonce never crosses origins either', async () => {
		const scheme = dpop();
		scheme.observe(new Response(null, {headers: {'dpop-nonce': 'rs-a'}}), 'https://a.example.com/x');
		expect(await resourceProofNonce(scheme, 'https://b.example.com/x')).toBeUndefined();
		expect(await resourceProofNonce(scheme, 'https://a.example.com/y')).toBe('rs-a');
		expect(decodeJwt(await scheme.proof({method: 'POST', url: 'https://a.example.com/token'})).nonce).toBeUndefined();
	});
});

describe('observe without a role, as docs/schemes/dpop.md\'s code exchange calls it', () => {
	it('an answer from a URL a token request\'s proof was made for is the authorization server\'s', async () => {
		const scheme = dpop();
		const tokenUrl = `${server.origin}/token`;
		await scheme.proof({method: 'POST', url: tokenUrl});
		scheme.observe(new Response(null, {status: 400, headers: {'dpop-nonce': 'as-from-exchange'}}), tokenUrl);
		expect(decodeJwt(await scheme.proof({method: 'POST', url: tokenUrl})).nonce).toBe('as-from-exchange');
		expect(await resourceProofNonce(scheme, `${server.origin}/api`)).toBeUndefined();
	});
});

describe('htu normalised as RFC 9449 §4.3 compares it', () => {
	it.each([
		['HTTPS://Api.Example.com:443/a/b?x=1#frag', 'https://api.example.com/a/b'],
		['https://api.example.com/users/%7ealice/%2f', 'https://api.example.com/users/~alice/%2F'],
		['https://api.example.com/%41%62c/%e2%82%ac', 'https://api.example.com/Abc/%E2%82%AC'],
		['https://user:pw@api.example.com/a/./b/../c', 'https://api.example.com/a/c'],
	])('%s → %s', async (url, htu) => {
		expect(decodeJwt(await dpop().proof({method: 'GET', url})).htu).toBe(htu);
	});
});
