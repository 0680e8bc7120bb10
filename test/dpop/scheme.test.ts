import {createHash} from 'node:crypto';
import {EmbeddedJWK, jwtVerify} from 'jose';
import {describe, expect, it} from 'vitest';
import {parseWWWAuthenticate} from '../../src/index.js';
import {dpop, memoryKeys} from '../../src/schemes/dpop/index.js';
import type {TokenGrant} from '../../src/types/credentials.js';

const token = 'access-token-that-must-never-show-up-0123456789';

function grant(tokenType: string | undefined): TokenGrant {
	return {kind: 'token', token, tokenType, epoch: 1};
}

function header(headers: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
	return headers.find(([key]) => key === name)?.[1];
}

function unauthorized(challenge?: string) {
	const response = new Response(null, {status: 401, headers: challenge === undefined ? {} : {'www-authenticate': challenge}});
	return {response, challenges: challenge === undefined ? [] : parseWWWAuthenticate(challenge)};
}

describe('dpop(): the credential scheme', () => {
	it('describes itself to the transport', () => {
		const scheme = dpop();
		expect({name: scheme.name, usesSession: scheme.usesSession, headers: scheme.headers, perHop: scheme.perHop}).toEqual({
			name: 'DPoP',
			usesSession: true,
			headers: ['authorization', 'dpop'],
			perHop: true,
		});
	});

	it.each([['DPoP'], ['dpop'], [undefined], ['']])('a token of type %j: Authorization: DPoP and a proof bound to it (ath, htm, htu of this hop)', async tokenType => {
		const scheme = dpop();
		const {headers, query} = await scheme.credentials({method: 'PUT', url: 'https://api.example.com/items/1?x=1', grant: grant(tokenType)});
		expect(query).toBeUndefined();
		expect(headers.map(([name]) => name)).toEqual(['authorization', 'dpop']);
		expect(header(headers, 'authorization')).toBe(`DPoP ${token}`);
		const {payload} = await jwtVerify(header(headers, 'dpop') ?? '', EmbeddedJWK, {typ: 'dpop+jwt'});
		expect(payload).toMatchObject({htm: 'PUT', htu: 'https://api.example.com/items/1', ath: createHash('sha256').update(token).digest('base64url')});
	});

	it('every hop and every attempt gets a new proof (new jti, its own htu)', async () => {
		const scheme = dpop();
		const hop = async (url: string) => {
			const {headers} = await scheme.credentials({method: 'GET', url, grant: grant('DPoP')});
			return (await jwtVerify(header(headers, 'dpop') ?? '', EmbeddedJWK)).payload;
		};
		const first = await hop('https://api.example.com/old');
		const retry = await hop('https://api.example.com/old');
		const redirected = await hop('https://api.example.com/new');
		expect(new Set([first.jti, retry.jti, redirected.jti]).size).toBe(3);
		expect(redirected.htu).toBe('https://api.example.com/new');
	});

	it.each([['Bearer'], ['bearer'], ['BEARER']])('a token the server issued as %s (not bound, RFC 9449 §5): Authorization: Bearer, no proof', async tokenType => {
		let saves = 0;
		const inner = memoryKeys();
		const scheme = dpop({keys: {load: inner.load, save: async pair => (saves++, inner.save(pair))}});
		const {headers} = await scheme.credentials({method: 'GET', url: 'https://api.example.com/', grant: grant(tokenType)});
		expect(headers).toEqual([['authorization', `Bearer ${token}`]]);
		expect(saves).toBe(0);
	});

	it('any other token type: a TypeError naming the type, never the token', async () => {
		const error = await Promise.resolve(dpop().credentials({method: 'GET', url: 'https://api.example.com/', grant: grant('MAC')})).catch((error: unknown) => error);
		expect(error).toBeInstanceOf(TypeError);
		expect((error as Error).message).toContain('"MAC"');
		expect((error as Error).message).not.toContain(token);
	});

	it('no grant (signed out): no credentials', async () => {
		await expect(Promise.resolve(dpop().credentials({method: 'GET', url: 'https://api.example.com/', grant: undefined}))).resolves.toEqual({headers: []});
	});

	it('a nonce that came with a 401 goes into the retry\'s proof', async () => {
		const scheme = dpop();
		const {response, challenges} = unauthorized('DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"');
		response.headers.set('dpop-nonce', 'eyJ7S_zG.eyJH0-Z.HX4w-7v');
		scheme.observe(response, 'https://api.example.com/items');
		expect(scheme.rejected(response, challenges)).toEqual({action: 'retry'});
		const {headers} = await scheme.credentials({method: 'GET', url: 'https://api.example.com/items', grant: grant('DPoP')});
		expect((await jwtVerify(header(headers, 'dpop') ?? '', EmbeddedJWK)).payload.nonce).toBe('eyJ7S_zG.eyJH0-Z.HX4w-7v');
	});
});

describe('dpop(): what a 401 means', () => {
	const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
	const cases: Array<[string, string | undefined, unknown]> = [
		['use_dpop_nonce: one retry, no refresh', 'DPoP error="use_dpop_nonce"', {action: 'retry'}],
		['use_dpop_nonce in a Bearer challenge too', 'Bearer error="use_dpop_nonce"', {action: 'retry'}],
		['invalid_dpop_proof (the clock offset came with it): one retry, no refresh', 'DPoP algs="ES256", error="invalid_dpop_proof"', {action: 'retry'}],
		['insufficient_user_authentication (RFC 9470): final', 'DPoP error="insufficient_user_authentication", acr_values="mfa"', {action: 'final'}],
		['insufficient_claims: a refresh with the claims', `DPoP error="insufficient_claims", claims="${Buffer.from(claims).toString('base64')}"`, {action: 'refresh', claims}],
		['invalid_token: a refresh', 'DPoP error="invalid_token"', {action: 'refresh'}],
		['a challenge without error: a refresh', 'DPoP algs="ES256 EdDSA"', {action: 'refresh'}],
		['no challenge: a refresh', undefined, {action: 'refresh'}],
	];
	it.each(cases)('%s', (_title, challenge, verdict) => {
		const {response, challenges} = unauthorized(challenge);
		expect(dpop().rejected(response, challenges)).toEqual(verdict);
	});
});

describe('dpop(): options are checked at once', () => {
	it.each<[string, unknown, RegExp]>([
		['options', 'ES256', /^dpop: options: expected an object \(or nothing\), got a string \("ES256"\)$/],
		['algorithm', {algorithm: 'HS256'}, /^dpop: options\.algorithm: expected one of 'ES256', 'EdDSA', 'RS256', 'PS256', got a string \("HS256"\)$/],
		['clockOffset', {clockOffset: 'yes'}, /^dpop: options\.clockOffset: expected a boolean, got a string \("yes"\)$/],
		['keys', {keys: {load: () => undefined}}, /^dpop: options\.keys: expected a key store .*, got an object$/],
		['keyPair', {keyPair: {privateKey: 1}}, /^dpop: options\.keyPair\.privateKey: expected a private CryptoKey, got a number$/],
	])('%s', (_name, options, message) => {
		expect(() => dpop(options as Parameters<typeof dpop>[0])).toThrow(message);
	});

	it('keyPair: a key that cannot sign, a non-extractable public key, a curve or algorithm it does not sign with, or keyPair with keys', async () => {
		const ecdsa = await crypto.subtle.generateKey({name: 'ECDSA', namedCurve: 'P-256'}, false, ['sign', 'verify']);
		const p384 = await crypto.subtle.generateKey({name: 'ECDSA', namedCurve: 'P-384'}, false, ['sign', 'verify']);
		const hmac = await crypto.subtle.generateKey({name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);
		const publicOnly = await crypto.subtle.importKey('jwk', await crypto.subtle.exportKey('jwk', ecdsa.publicKey), {name: 'ECDSA', namedCurve: 'P-256'}, false, ['verify']);
		expect(() => dpop({keyPair: {privateKey: ecdsa.publicKey, publicKey: ecdsa.publicKey}})).toThrow('dpop: options.keyPair.privateKey: expected a private CryptoKey, got a public key');
		expect(() => dpop({keyPair: {privateKey: hmac, publicKey: ecdsa.publicKey}})).toThrow('dpop: options.keyPair.privateKey: expected a private CryptoKey, got a secret key');
		expect(() => dpop({keyPair: {privateKey: ecdsa.privateKey, publicKey: publicOnly}})).toThrow('expected an extractable key');
		expect(() => dpop({keyPair: p384})).toThrow('dpop: options.keyPair.privateKey: expected a key for ES256, EdDSA, RS256, PS256');
		const ed25519 = await crypto.subtle.generateKey({name: 'Ed25519'}, false, ['sign', 'verify']);
		expect(() => dpop({keyPair: {privateKey: ecdsa.privateKey, publicKey: ed25519.publicKey}})).toThrow('expected the public key of the ES256 private key');
		expect(() => dpop({keyPair: ecdsa, algorithm: 'RS256'})).toThrow("dpop: options.algorithm: expected the algorithm of options.keyPair (ES256), got 'RS256'");
		expect(() => dpop({keyPair: ecdsa, keys: memoryKeys()})).toThrow('expected keys or keyPair, got both');
		expect(() => dpop({keyPair: ecdsa, algorithm: 'ES256'})).not.toThrow();
	});

	it('proof(): a wrong method, URL or access token rejects with a TypeError that never shows the token', async () => {
		const scheme = dpop();
		await expect(scheme.proof({method: 'GE T', url: 'https://api.example.com/'})).rejects.toThrow('dpop: proof(input): input.method: expected an HTTP method');
		await expect(scheme.proof({method: 'GET', url: '/relative'})).rejects.toThrow('dpop: proof(input): input.url: expected an absolute http: or https: URL');
		await expect(scheme.proof({method: 'GET', url: 'ftp://files.example.com/'})).rejects.toThrow('got a ftp: URL');
		const error = await scheme.proof({method: 'GET', url: 'https://api.example.com/', accessToken: 42 as unknown as string}).catch((error: unknown) => error);
		expect(String(error)).toContain('input.accessToken: expected a non-empty string or undefined, got a number');
	});
});
