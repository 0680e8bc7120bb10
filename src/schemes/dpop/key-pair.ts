import {dev} from '../../utils/dev.js';
import {describeKind} from '../../utils/describe.js';
import {invalid, isRecord} from '../../utils/validate.js';
import {algorithmOfKey, dpopAlgorithms, type DPoPAlgorithm} from './algorithms.js';

/** A key pair checked to sign DPoP proofs, and the algorithm it signs with. */
export interface DPoPKey {
	readonly pair: CryptoKeyPair;
	readonly algorithm: DPoPAlgorithm;
}

function isCryptoKey(value: unknown): value is CryptoKey {
	return typeof CryptoKey === 'function' && value instanceof CryptoKey;
}

/**
 * Checks that `value` is a key pair that can sign DPoP proofs: a private key usable for `sign` and an
 * extractable public key (it is sent in every proof) of the same algorithm, one of {@link dpopAlgorithms}.
 *
 * @throws TypeError "`where`: expected …, got …" otherwise.
 */
export function dpopKeyOf(where: string, value: unknown): DPoPKey {
	if (!isRecord(value)) {
		invalid(where, dev ? 'a CryptoKeyPair ({privateKey, publicKey})' : '', value);
	}
	const {privateKey, publicKey} = value;
	if (!isCryptoKey(privateKey) || privateKey.type !== 'private') {
		throw new TypeError(`${where}.privateKey: expected a private CryptoKey, got ${isCryptoKey(privateKey) ? `a ${privateKey.type} key` : describeKind(privateKey)}`);
	}
	if (!privateKey.usages.includes('sign')) {
		throw new TypeError(`${where}.privateKey: expected a key whose usages include "sign", got usages ${JSON.stringify(privateKey.usages)}`);
	}
	if (!isCryptoKey(publicKey) || publicKey.type !== 'public') {
		throw new TypeError(`${where}.publicKey: expected a public CryptoKey, got ${isCryptoKey(publicKey) ? `a ${publicKey.type} key` : describeKind(publicKey)}`);
	}
	if (!publicKey.extractable) {
		throw new TypeError(`${where}.publicKey: expected an extractable key (it travels in every proof as a JWK), got a non-extractable one`);
	}
	const algorithm = algorithmOfKey(privateKey);
	if (algorithm === undefined) {
		throw new TypeError(`${where}.privateKey: expected a key for ${dpopAlgorithms.join(', ')} (ECDSA P-256, Ed25519, RSASSA-PKCS1-v1_5 or RSA-PSS with SHA-256), got a ${privateKey.algorithm.name} key`);
	}
	if (algorithmOfKey(publicKey) !== algorithm) {
		throw new TypeError(`${where}.publicKey: expected the public key of the ${algorithm} private key, got a ${publicKey.algorithm.name} key`);
	}
	return {pair: {privateKey, publicKey}, algorithm};
}
