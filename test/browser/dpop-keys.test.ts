import {decodeProtectedHeader, EmbeddedJWK, jwtVerify} from 'jose';
import {afterEach, describe, expect, it} from 'vitest';
import {dpop, indexedDbKeys} from '../../src/schemes/dpop/index.js';

const names: string[] = [];

/** A database name of this test only, deleted afterwards. */
function freshName(): string {
	const name = `ky-auth-dpop-test-${crypto.randomUUID()}`;
	names.push(name);
	return name;
}

async function deleteDatabase(name: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const request = indexedDB.deleteDatabase(name);
		request.onsuccess = () => resolve();
		request.onerror = () => reject(request.error ?? new Error('deleteDatabase failed'));
	});
}

afterEach(async () => {
	await Promise.all(names.splice(0).map(deleteDatabase));
});

async function generate(): Promise<CryptoKeyPair> {
	return crypto.subtle.generateKey({name: 'ECDSA', namedCurve: 'P-256'}, false, ['sign', 'verify']);
}

async function thumbprintOf(pair: CryptoKeyPair): Promise<string> {
	return dpop({keyPair: pair}).thumbprint();
}

describe('indexedDbKeys in Chromium', () => {
	it('two stores racing save (two tabs starting at once) end up with one key pair: the one stored first', async () => {
		const name = freshName();
		const [ours, theirs] = await Promise.all([generate(), generate()]);
		expect(await thumbprintOf(ours)).not.toBe(await thumbprintOf(theirs));
		const [a, b] = await Promise.all([indexedDbKeys({name}).save(ours), indexedDbKeys({name}).save(theirs)]);
		expect(await thumbprintOf(a)).toBe(await thumbprintOf(b));
		const stored = await indexedDbKeys({name}).load();
		expect(stored).toBeDefined();
		expect(await thumbprintOf(stored!)).toBe(await thumbprintOf(a));
	});

	it('two dpop() with their own stores on one database, first proofs at once: one key signs both', async () => {
		const name = freshName();
		const first = dpop({keys: indexedDbKeys({name})});
		const second = dpop({keys: indexedDbKeys({name})});
		const [proofA, proofB] = await Promise.all([
			first.proof({method: 'GET', url: 'https://api.example.com/'}),
			second.proof({method: 'GET', url: 'https://api.example.com/'}),
		]);
		expect(decodeProtectedHeader(proofA).jwk).toEqual(decodeProtectedHeader(proofB).jwk);
		expect(await first.thumbprint()).toBe(await second.thumbprint());
	});

	it('a reload (a new store and scheme) loads the same key, still non-extractable, and signs with it', async () => {
		const name = freshName();
		const before = await dpop({keys: indexedDbKeys({name})}).thumbprint();
		const stored = await indexedDbKeys({name}).load();
		expect(stored?.privateKey.extractable).toBe(false);
		await expect(crypto.subtle.exportKey('pkcs8', stored!.privateKey)).rejects.toThrow();
		const reloaded = dpop({keys: indexedDbKeys({name})});
		expect(await reloaded.thumbprint()).toBe(before);
		const {protectedHeader} = await jwtVerify(await reloaded.proof({method: 'GET', url: 'https://api.example.com/'}), EmbeddedJWK, {typ: 'dpop+jwt'});
		expect(protectedHeader.alg).toBe('ES256');
	});

	it('the default store in a browser is IndexedDB: two dpop() without options share one key', async () => {
		names.push('ky-auth-dpop');
		const [a, b] = await Promise.all([dpop().thumbprint(), dpop().thumbprint()]);
		expect(a).toBe(b);
		expect(await indexedDbKeys().load()).toBeDefined();
	});

	it('a database of that name holding other stores is upgraded once, and keeps them', async () => {
		const name = freshName();
		await new Promise<void>((resolve, reject) => {
			const request = indexedDB.open(name, 3);
			request.onupgradeneeded = () => request.result.createObjectStore('app-data');
			request.onsuccess = () => {
				request.result.close();
				resolve();
			};
			request.onerror = () => reject(request.error ?? new Error('open failed'));
		});
		const pair = await indexedDbKeys({name}).save(await generate());
		expect(await thumbprintOf((await indexedDbKeys({name}).load())!)).toBe(await thumbprintOf(pair));
		const stores = await new Promise<string[]>((resolve, reject) => {
			const request = indexedDB.open(name);
			request.onsuccess = () => {
				resolve([...request.result.objectStoreNames]);
				request.result.close();
			};
			request.onerror = () => reject(request.error ?? new Error('open failed'));
		});
		expect(stores.sort()).toEqual(['app-data', 'keys']);
	});
});
