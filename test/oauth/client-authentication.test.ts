import {inspect} from 'node:util';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ConfigurationError} from '../../src/index.js';
import {clientCredentials, clientSecretBasic, clientSecretPost, none, privateKeyJwt, refreshTokenGrant} from '../../src/oauth/index.js';
import {context, startTokenServer, type TokenServer} from './token-server.js';

let server: TokenServer;

beforeEach(async () => {
	server = await startTokenServer();
});

afterEach(async () => {
	await server.close();
});

// Every character RFC 6749 §2.3.1 form-encoding changes: a naive `btoa(id + ':' + secret)` breaks on each.
const trickyId = 'svc:reports%20 +ü/é';
const trickySecret = 's3:cr%3Ae+t with spaces ✓ ∂';

describe('client_secret_basic', () => {
	it('form-encodes the id and secret before base64 (RFC 6749 §2.3.1): `:`, `%`, `+`, space and non-ASCII arrive intact', async () => {
		server.register({id: trickyId, method: 'client_secret_basic', secret: trickySecret});
		const refresh = clientCredentials({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: trickyId, clientAuthentication: clientSecretBasic(trickySecret)});
		const tokens = await refresh(context());
		expect(tokens?.accessToken).toMatch(/^at-/);
		const [call] = server.calls;
		expect(call?.client).toBe(trickyId);
		// The credentials are in the header only: neither the id nor the secret is in the body.
		expect(call?.params.has('client_secret')).toBe(false);
		expect(call?.params.has('client_id')).toBe(false);
		const encoded = Buffer.from((call?.headers.authorization ?? '').slice('Basic '.length), 'base64').toString('utf8');
		expect(encoded).toBe('svc%3Areports%2520+%2B%C3%BC%2F%C3%A9:s3%3Acr%253Ae%2Bt+with+spaces+%E2%9C%93+%E2%88%82');
	});

	it('a wrong secret is a ConfigurationError (401 invalid_client with a Basic challenge)', async () => {
		server.register({id: 'svc', method: 'client_secret_basic', secret: 'right-secret'});
		const refresh = clientCredentials({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'svc', clientAuthentication: clientSecretBasic('wrong-secret')});
		const error = await refresh(context()).catch((error: unknown) => error);
		expect(error).toBeInstanceOf(ConfigurationError);
		expect((error as ConfigurationError).code).toBe('CONFIGURATION_ERROR');
		expect((error as Error).message).toContain('HTTP 401 invalid_client');
		expect((error as Error).message).toContain('Client authentication failed');
		expect(server.calls.map(call => call.outcome)).toEqual(['invalid_client']);
	});
});

describe('client_secret_post', () => {
	it('sends client_id and client_secret in the form body, none in a header', async () => {
		server.register({id: trickyId, method: 'client_secret_post', secret: trickySecret});
		const refresh = clientCredentials({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: trickyId, clientAuthentication: clientSecretPost(trickySecret)});
		await expect(refresh(context())).resolves.toMatchObject({tokenType: 'Bearer'});
		const [call] = server.calls;
		expect(call?.client).toBe(trickyId);
		expect(call?.headers.authorization).toBeUndefined();
		expect(call?.params.get('client_secret')).toBe(trickySecret);
	});
});

describe('private_key_jwt', () => {
	async function keyPair(algorithm: EcKeyGenParams | RsaHashedKeyGenParams | {name: 'Ed25519'}) {
		return crypto.subtle.generateKey(algorithm, false, ['sign', 'verify']) as Promise<CryptoKeyPair>;
	}

	for (const [name, algorithm] of [
		['ES256', {name: 'ECDSA', namedCurve: 'P-256'}],
		['RS256', {name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256'}],
		['Ed25519', {name: 'Ed25519'}],
	] as const) {
		it(`signs a fresh assertion per request (${name}), verified with jose: iss = sub = client id, aud, exp, unique jti`, async () => {
			const {privateKey, publicKey} = await keyPair(algorithm);
			server.register({id: 'jwt-client', method: 'private_key_jwt', publicKey, audience: server.tokenEndpoint});
			const refresh = clientCredentials({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'jwt-client', clientAuthentication: privateKeyJwt(privateKey)});
			await refresh(context());
			await refresh(context());
			expect(server.calls.map(call => call.outcome)).toEqual(['issued', 'issued']);
			const [first, second] = server.calls.map(call => call.assertion);
			expect(first).toMatchObject({iss: 'jwt-client', sub: 'jwt-client', aud: server.tokenEndpoint});
			expect(typeof first?.exp).toBe('number');
			expect(first?.jti).not.toEqual(second?.jti);
			expect(server.calls[0]?.params.get('client_id')).toBe('jwt-client');
			expect(server.calls[0]?.headers.authorization).toBeUndefined();
		});
	}

	it('uses `issuer` as the audience when given, and puts the kid in the header', async () => {
		const {privateKey, publicKey} = await keyPair({name: 'ECDSA', namedCurve: 'P-256'});
		server.register({id: 'jwt-client', method: 'private_key_jwt', publicKey, audience: 'https://issuer.example'});
		const refresh = clientCredentials({
			tokenEndpoint: server.tokenEndpoint,
			issuer: 'https://issuer.example',
			allowInsecureRequests: true,
			clientId: 'jwt-client',
			clientAuthentication: privateKeyJwt(privateKey, {kid: 'key-7'}),
		});
		await refresh(context());
		expect(server.calls[0]?.outcome).toBe('issued');
		const assertion = server.calls[0]?.params.get('client_assertion') ?? '';
		expect(JSON.parse(Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString())).toEqual({alg: 'ES256', kid: 'key-7'});
	});

	it('an assertion signed with another key is refused: ConfigurationError', async () => {
		const registered = await keyPair({name: 'ECDSA', namedCurve: 'P-256'});
		const other = await keyPair({name: 'ECDSA', namedCurve: 'P-256'});
		server.register({id: 'jwt-client', method: 'private_key_jwt', publicKey: registered.publicKey, audience: server.tokenEndpoint});
		const refresh = clientCredentials({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'jwt-client', clientAuthentication: privateKeyJwt(other.privateKey)});
		await expect(refresh(context())).rejects.toBeInstanceOf(ConfigurationError);
	});

	it('refuses keys it cannot sign with, at once', async () => {
		const {publicKey} = await keyPair({name: 'ECDSA', namedCurve: 'P-256'});
		const hmac = await crypto.subtle.generateKey({name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);
		const verifyOnly = (await crypto.subtle.generateKey({name: 'ECDSA', namedCurve: 'P-256'}, false, ['sign', 'verify'])).publicKey;
		expect(() => privateKeyJwt(publicKey)).toThrow('privateKeyJwt: privateKey: expected a private CryptoKey, got a public key');
		expect(() => privateKeyJwt(hmac)).toThrow(TypeError);
		expect(() => privateKeyJwt(verifyOnly)).toThrow(TypeError);
		expect(() => privateKeyJwt('-----BEGIN PRIVATE KEY-----' as unknown as CryptoKey)).toThrow('privateKeyJwt: privateKey: expected a CryptoKey, got a string of 27 characters');
		const {privateKey} = await keyPair({name: 'ECDSA', namedCurve: 'P-256'});
		expect(() => privateKeyJwt(privateKey, {kid: ''})).toThrow('privateKeyJwt: options.kid: expected a non-empty string, got a string ("")');
	});
});

describe('none (public clients)', () => {
	it('sends only client_id with the refresh_token grant', async () => {
		server.register({id: 'spa', method: 'none'});
		const refresh = refreshTokenGrant({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'spa', clientAuthentication: none()});
		const tokens = await refresh(context({accessToken: 'old', refreshToken: server.issueRefreshToken('spa')}));
		expect(tokens?.accessToken).toMatch(/^at-/);
		expect(server.calls[0]?.client).toBe('spa');
		expect([...(server.calls[0]?.params.keys() ?? [])].sort()).toEqual(['client_id', 'grant_type', 'refresh_token']);
	});

	it('is refused by clientCredentials at once (the grant needs a confidential client)', () => {
		expect(() => clientCredentials({tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'spa', clientAuthentication: none()})).toThrow(/needs a confidential client\), got none\(\)/);
	});
});

describe('the helpers', () => {
	it('hold the secret out of sight: inspect and JSON show only the method', () => {
		const secret = 'very-secret-value-123';
		for (const authentication of [clientSecretBasic(secret), clientSecretPost(secret)]) {
			expect(inspect(authentication, {depth: 10, showHidden: true})).not.toContain(secret);
			expect(JSON.stringify(authentication)).not.toContain(secret);
			expect(Object.isFrozen(authentication)).toBe(true);
		}
		expect(clientSecretBasic(secret).method).toBe('client_secret_basic');
		expect(clientSecretPost(secret).method).toBe('client_secret_post');
		expect(none().method).toBe('none');
	});

	it('validate the secret', () => {
		expect(() => clientSecretBasic('')).toThrow('clientSecretBasic: clientSecret: expected the client secret, a non-empty string, got a string ("")');
		expect(() => clientSecretPost(undefined as unknown as string)).toThrow('clientSecretPost: clientSecret: expected the client secret, a non-empty string, got undefined');
	});

	it('a look-alike object is not a client authentication', () => {
		expect(() => clientCredentials({
			tokenEndpoint: server.tokenEndpoint,
			allowInsecureRequests: true,
			clientId: 'svc',
			clientAuthentication: {method: 'client_secret_basic'},
		})).toThrow('clientCredentials: options.clientAuthentication: expected clientSecretBasic(…), clientSecretPost(…), privateKeyJwt(…) or none(), got an object');
	});
});
