import {createHash} from 'node:crypto';
import {decodeProtectedHeader, EmbeddedJWK, jwtVerify, type JWTPayload} from 'jose';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {dpop, memoryKeys, type DPoPAlgorithm, type DPoPKeyStore} from '../../src/schemes/dpop/index.js';

/** Verifies a proof as a resource server would (signature with the embedded key, typ), and returns its parts. */
async function verify(proof: string): Promise<{header: ReturnType<typeof decodeProtectedHeader>; payload: JWTPayload}> {
	const {payload, protectedHeader} = await jwtVerify(proof, EmbeddedJWK, {typ: 'dpop+jwt', algorithms: ['ES256', 'EdDSA', 'RS256', 'PS256']});
	return {header: protectedHeader, payload};
}

function sha256(text: string): string {
	return createHash('sha256').update(text).digest('base64url');
}

/** A key store that counts what dpop() asks of it. */
function countingKeys(): DPoPKeyStore & {loads: number; saves: number} {
	const inner = memoryKeys();
	const store = {
		loads: 0,
		saves: 0,
		load: async () => {
			store.loads++;
			return inner.load();
		},
		save: async (pair: CryptoKeyPair) => {
			store.saves++;
			return inner.save(pair);
		},
	};
	return store;
}

afterEach(() => {
	vi.useRealTimers();
});

describe('dpop(): proofs', () => {
	it('signs a dpop+jwt with the public JWK in the header and no private member in it', async () => {
		const scheme = dpop();
		const proof = await scheme.proof({method: 'GET', url: 'https://api.example.com/a'});
		const {header, payload} = await verify(proof);
		expect(header).toMatchObject({typ: 'dpop+jwt', alg: 'ES256', jwk: {kty: 'EC', crv: 'P-256'}});
		expect(Object.keys(header.jwk ?? {}).sort()).toEqual(['crv', 'kty', 'x', 'y']);
		expect(payload).toEqual({htm: 'GET', htu: 'https://api.example.com/a', iat: expect.any(Number), jti: expect.any(String)});
	});

	it.each<[DPoPAlgorithm, string, string[]]>([
		['ES256', 'EC', ['crv', 'kty', 'x', 'y']],
		['EdDSA', 'OKP', ['crv', 'kty', 'x']],
		['RS256', 'RSA', ['e', 'kty', 'n']],
		['PS256', 'RSA', ['e', 'kty', 'n']],
	])('%s: a verifiable proof with a %s public key (members %j only)', async (algorithm, kty, members) => {
		const scheme = dpop({algorithm, keys: memoryKeys()});
		const {header} = await verify(await scheme.proof({method: 'POST', url: 'https://api.example.com/'}));
		expect(header.alg).toBe(algorithm);
		expect(header.jwk?.kty).toBe(kty);
		expect(Object.keys(header.jwk ?? {}).sort()).toEqual(members);
	});

	it('htu: query and fragment stripped, scheme and host lowercased, the default port dropped; htm as fetch sends it', async () => {
		const scheme = dpop();
		const cases: Array<[string, string, string, string]> = [
			['get', 'HTTPS://Api.Example.com:443/a?b#c', 'GET', 'https://api.example.com/a'],
			['POST', 'http://API.example.com:80/x/../y/?q=1', 'POST', 'http://api.example.com/y/'],
			['PATCH', 'https://user:pass@api.example.com:8443/p#frag', 'PATCH', 'https://api.example.com:8443/p'],
			['delete', 'https://api.example.com', 'DELETE', 'https://api.example.com/'],
		];
		for (const [method, url, htm, htu] of cases) {
			const {payload} = await verify(await scheme.proof({method, url}));
			expect({htm: payload.htm, htu: payload.htu}).toEqual({htm, htu});
		}
	});

	it('jti: a fresh one for every proof (1000 proofs, 1000 distinct jti)', async () => {
		const scheme = dpop();
		const proofs = await Promise.all(Array.from({length: 1000}, async () => scheme.proof({method: 'GET', url: 'https://api.example.com/a'})));
		const jtis = await Promise.all(proofs.map(async proof => (await verify(proof)).payload.jti));
		expect(new Set(jtis).size).toBe(1000);
	});

	it('ath: base64url(SHA-256(access token)), only when a token is given', async () => {
		const scheme = dpop();
		const token = 'eyJhbGciOiJFUzI1NiJ9.access-token.sig';
		const {payload} = await verify(await scheme.proof({method: 'GET', url: 'https://api.example.com/', accessToken: token}));
		expect(payload.ath).toBe(sha256(token));
		expect((await verify(await scheme.proof({method: 'GET', url: 'https://api.example.com/'}))).payload).not.toHaveProperty('ath');
	});

	it('iat: the local clock when no server was heard from', async () => {
		vi.useFakeTimers({toFake: ['Date']});
		vi.setSystemTime(Date.UTC(2026, 10, 20, 12, 0, 0, 700));
		const {payload} = await verify(await dpop().proof({method: 'GET', url: 'https://api.example.com/'}));
		expect(payload.iat).toBe(Date.UTC(2026, 10, 20, 12, 0, 0) / 1000);
	});
});

describe('dpop(): the server clock', () => {
	const local = Date.UTC(2026, 10, 20, 12, 0, 0);
	const ahead = new Date(local + 300_000).toUTCString();

	it('iat follows a server clock 5 minutes ahead, learnt from the Date of its responses', async () => {
		vi.useFakeTimers({toFake: ['Date']});
		vi.setSystemTime(local);
		const scheme = dpop();
		scheme.observe(new Response(null, {headers: {date: ahead}}), 'https://api.example.com/x');
		const {payload} = await verify(await scheme.proof({method: 'GET', url: 'https://api.example.com/y'}));
		expect(payload.iat).toBe(local / 1000 + 300);
		// The local clock moves on; the offset stays.
		vi.setSystemTime(local + 10_000);
		expect((await verify(await scheme.proof({method: 'GET', url: 'https://api.example.com/y'}))).payload.iat).toBe(local / 1000 + 310);
	});

	it('the latest estimate wins; a Date that is absent or not a date leaves it as it was', async () => {
		vi.useFakeTimers({toFake: ['Date']});
		vi.setSystemTime(local);
		const scheme = dpop();
		const iat = async () => (await verify(await scheme.proof({method: 'GET', url: 'https://api.example.com/'}))).payload.iat;
		scheme.observe(new Response(null, {headers: {date: ahead}}), 'https://api.example.com/');
		scheme.observe(new Response(null, {headers: {date: 'yesterday, around noon'}}), 'https://api.example.com/');
		scheme.observe(new Response(null), 'https://api.example.com/');
		expect(await iat()).toBe(local / 1000 + 300);
		scheme.observe(new Response(null, {headers: {date: new Date(local - 60_000).toUTCString()}}), 'https://api.example.com/');
		expect(await iat()).toBe(local / 1000 - 60);
	});

	it('a cached answer: Age is added to its Date', async () => {
		vi.useFakeTimers({toFake: ['Date']});
		vi.setSystemTime(local);
		const scheme = dpop();
		scheme.observe(new Response(null, {headers: {date: new Date(local - 120_000).toUTCString(), age: '120'}}), 'https://api.example.com/');
		expect((await verify(await scheme.proof({method: 'GET', url: 'https://api.example.com/'}))).payload.iat).toBe(local / 1000);
	});

	it('per origin: each server its own offset; an origin not heard from yet gets the latest estimate of any', async () => {
		vi.useFakeTimers({toFake: ['Date']});
		vi.setSystemTime(local);
		const scheme = dpop();
		scheme.observe(new Response(null, {headers: {date: ahead}}), 'https://auth.example.com/token');
		scheme.observe(new Response(null, {headers: {date: new Date(local + 60_000).toUTCString()}}), 'https://api.example.com/');
		const iat = async (url: string) => (await verify(await scheme.proof({method: 'GET', url}))).payload.iat;
		expect(await iat('https://auth.example.com/token')).toBe(local / 1000 + 300);
		expect(await iat('https://api.example.com/')).toBe(local / 1000 + 60);
		expect(await iat('https://other.example.com/')).toBe(local / 1000 + 60);
	});

	it('clockOffset: false keeps the local clock', async () => {
		vi.useFakeTimers({toFake: ['Date']});
		vi.setSystemTime(local);
		const scheme = dpop({clockOffset: false});
		scheme.observe(new Response(null, {headers: {date: ahead}}), 'https://api.example.com/');
		expect((await verify(await scheme.proof({method: 'GET', url: 'https://api.example.com/'}))).payload.iat).toBe(local / 1000);
	});
});

describe('dpop(): nonces', () => {
	// A resource request's proof (it carries an access token): the nonces observed here are resource servers' (the default role).
	const nonceOf = async (scheme: ReturnType<typeof dpop>, url: string) => (await verify(await scheme.proof({method: 'GET', url, accessToken: 'at-0123'}))).payload.nonce;

	it('sends the last DPoP-Nonce of the origin, and never one origin\'s nonce to another', async () => {
		const scheme = dpop();
		expect(await nonceOf(scheme, 'https://a.example.com/')).toBeUndefined();
		scheme.observe(new Response(null, {headers: {'dpop-nonce': 'nonce-a1'}}), 'https://a.example.com/x');
		scheme.observe(new Response(null, {headers: {'dpop-nonce': 'nonce-a2'}}), 'https://a.example.com/y');
		expect(await nonceOf(scheme, 'https://a.example.com/z?q')).toBe('nonce-a2');
		expect(await nonceOf(scheme, 'https://b.example.com/z')).toBeUndefined();
		expect(await nonceOf(scheme, 'https://a.example.com:8443/z')).toBeUndefined();
		scheme.observe(new Response(null, {headers: {'dpop-nonce': 'nonce-b'}}), 'https://b.example.com/');
		expect(await nonceOf(scheme, 'https://b.example.com/z')).toBe('nonce-b');
		expect(await nonceOf(scheme, 'https://a.example.com/z')).toBe('nonce-a2');
	});

	it('ignores a DPoP-Nonce that is not a valid nonce (RFC 9449 §8.1 NQCHAR) and keeps the previous one', async () => {
		const scheme = dpop();
		scheme.observe(new Response(null, {headers: {'dpop-nonce': 'good-nonce'}}), 'https://a.example.com/');
		for (const bad of ['with space', 'quo"te', 'back\\slash', 'tab\there', 'é']) {
			// Headers refuses some of these outright; those that it takes must be ignored by observe.
			let headers: Headers;
			try {
				headers = new Headers({'dpop-nonce': bad});
			} catch {
				continue;
			}
			scheme.observe(new Response(null, {headers}), 'https://a.example.com/');
		}
		scheme.observe(new Response(null, {headers: {'dpop-nonce': ''}}), 'https://a.example.com/');
		expect(await nonceOf(scheme, 'https://a.example.com/')).toBe('good-nonce');
		scheme.observe(new Response(null, {headers: {'dpop-nonce': '!#[]~'}}), 'https://a.example.com/');
		expect(await nonceOf(scheme, 'https://a.example.com/')).toBe('!#[]~');
	});

	it('observe ignores a URL that is not one', () => {
		expect(() => dpop().observe(new Response(null, {headers: {'dpop-nonce': 'n', date: new Date().toUTCString()}}), 'not a url')).not.toThrow();
	});
});

describe('dpop(): keys', () => {
	it('1000 concurrent first proofs: one load, one key generated and saved, one key signs them all', async () => {
		const keys = countingKeys();
		const scheme = dpop({keys});
		const proofs = await Promise.all(Array.from({length: 1000}, async () => scheme.proof({method: 'GET', url: 'https://api.example.com/'})));
		expect({loads: keys.loads, saves: keys.saves}).toEqual({loads: 1, saves: 1});
		const keysUsed = new Set(proofs.map(proof => JSON.stringify(decodeProtectedHeader(proof).jwk)));
		expect(keysUsed.size).toBe(1);
		await scheme.thumbprint();
		expect(keys.saves).toBe(1);
	});

	it('a store that already holds a pair: it is loaded and used, nothing is generated', async () => {
		const keys = countingKeys();
		const first = dpop({keys});
		const thumbprint = await first.thumbprint();
		const second = dpop({keys});
		expect(await second.thumbprint()).toBe(thumbprint);
		expect(keys.saves).toBe(1);
		expect(keys.loads).toBe(2);
	});

	it('save returns the pair another holder stored first: that pair signs', async () => {
		const winner = await crypto.subtle.generateKey({name: 'ECDSA', namedCurve: 'P-256'}, false, ['sign', 'verify']);
		const reference = dpop({keyPair: winner});
		const scheme = dpop({keys: {load: async () => undefined, save: async () => winner}});
		expect(await scheme.thumbprint()).toBe(await reference.thumbprint());
	});

	it('the generated private key is non-extractable: exportKey rejects', async () => {
		let saved: CryptoKeyPair | undefined;
		const scheme = dpop({keys: {load: async () => undefined, save: async pair => (saved = pair)}});
		await scheme.proof({method: 'GET', url: 'https://api.example.com/'});
		expect(saved?.privateKey.extractable).toBe(false);
		await expect(crypto.subtle.exportKey('pkcs8', saved?.privateKey as CryptoKey)).rejects.toThrow();
		await expect(crypto.subtle.exportKey('jwk', saved?.privateKey as CryptoKey)).rejects.toThrow();
	});

	it('a key store that fails is asked again by the next proof', async () => {
		let fail = true;
		const inner = memoryKeys();
		const scheme = dpop({keys: {load: async () => (fail ? Promise.reject(new Error('storage unavailable')) : inner.load()), save: inner.save}});
		await expect(scheme.proof({method: 'GET', url: 'https://api.example.com/'})).rejects.toThrow('storage unavailable');
		fail = false;
		await expect(scheme.proof({method: 'GET', url: 'https://api.example.com/'})).resolves.toMatch(/^ey/);
	});

	it('keyPair: the app\'s own pair signs, and its thumbprint is the RFC 7638 one of its public key', async () => {
		const pair = await crypto.subtle.generateKey({name: 'Ed25519'}, false, ['sign', 'verify']);
		const scheme = dpop({keyPair: pair as CryptoKeyPair});
		const {header} = await verify(await scheme.proof({method: 'GET', url: 'https://api.example.com/'}));
		expect(header.alg).toBe('EdDSA');
		const jwk = await crypto.subtle.exportKey('jwk', (pair as CryptoKeyPair).publicKey);
		expect(await scheme.thumbprint()).toBe(sha256(JSON.stringify({crv: jwk.crv, kty: jwk.kty, x: jwk.x})));
	});

	it('a store that returns something that is not a key pair: the proof rejects with a TypeError', async () => {
		const scheme = dpop({keys: {load: async () => ({privateKey: 'k', publicKey: 'p'} as unknown as CryptoKeyPair), save: async pair => pair}});
		await expect(scheme.proof({method: 'GET', url: 'https://api.example.com/'})).rejects.toThrow(TypeError);
	});
});
