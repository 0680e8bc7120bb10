import {calculateJwkThumbprint, exportJWK, type JWK} from 'jose';
import type {DPoPAlgorithm} from './algorithms.js';
import type {DPoPKey} from './key-pair.js';

/** A key ready to sign proofs: the private key, its algorithm, and the public JWK every proof carries. */
export interface SigningKey {
	readonly privateKey: CryptoKey;
	readonly algorithm: DPoPAlgorithm;
	/** The public key as a JWK, with its public members only (never `d`, `p`, `q`…). */
	readonly jwk: JWK;
	/** RFC 7638 SHA-256 thumbprint of {@link jwk}. */
	readonly thumbprint: string;
}

/** The public members of each key type (RFC 7518 §6, RFC 8037 §2): nothing else goes into a proof. */
const publicMembers: Record<string, readonly string[]> = {
	EC: ['kty', 'crv', 'x', 'y'],
	OKP: ['kty', 'crv', 'x'],
	RSA: ['kty', 'n', 'e'],
};

/** Exports the public key of `key` and computes its thumbprint, once per key. */
export async function signingKeyOf(key: DPoPKey): Promise<SigningKey> {
	const exported = await exportJWK(key.pair.publicKey);
	const members = publicMembers[exported.kty ?? ''];
	if (members === undefined) {
		throw new TypeError(`dpop(): expected an EC, OKP or RSA public key, got a JWK of kty ${JSON.stringify(exported.kty)}`);
	}
	const jwk: JWK = Object.fromEntries(Object.entries(exported).filter(([member, value]) => members.includes(member) && typeof value === 'string'));
	return {privateKey: key.pair.privateKey, algorithm: key.algorithm, jwk, thumbprint: await calculateJwkThumbprint(jwk, 'sha256')};
}
