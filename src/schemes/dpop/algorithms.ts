import {isRecord} from '../../utils/validate.js';

/**
 * The JWS algorithms `dpop()` signs proofs with (RFC 9449 §4.2 requires an asymmetric one):
 * - `ES256`: ECDSA on P-256 with SHA-256, the default (small keys and proofs, supported everywhere);
 * - `EdDSA`: Ed25519 (Node 22+, Chromium 137+, Firefox 129+, Safari 17+);
 * - `RS256`, `PS256`: RSA with SHA-256 (PKCS #1 v1.5 and PSS), 2048-bit keys, for servers that accept only RSA.
 */
export type DPoPAlgorithm = 'ES256' | 'EdDSA' | 'RS256' | 'PS256';

/** Every {@link DPoPAlgorithm}, in the order messages list them. */
export const dpopAlgorithms: readonly DPoPAlgorithm[] = ['ES256', 'EdDSA', 'RS256', 'PS256'];

const rsaModulus = {modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256'};

/** The Web Crypto parameters that generate a key pair for each algorithm. */
const generation: Record<DPoPAlgorithm, RsaHashedKeyGenParams | EcKeyGenParams | Algorithm> = {
	ES256: {name: 'ECDSA', namedCurve: 'P-256'},
	EdDSA: {name: 'Ed25519'},
	RS256: {name: 'RSASSA-PKCS1-v1_5', ...rsaModulus},
	PS256: {name: 'RSA-PSS', ...rsaModulus},
};

/** Whether `value` names a {@link DPoPAlgorithm}. */
export function isDPoPAlgorithm(value: unknown): value is DPoPAlgorithm {
	return typeof value === 'string' && (dpopAlgorithms as readonly string[]).includes(value);
}

/**
 * Generates a key pair for `algorithm`: the private key is non-extractable (its bits never leave Web Crypto,
 * so no script can copy it), the public key extractable (it travels in every proof as a JWK).
 */
export async function generateDPoPKeyPair(algorithm: DPoPAlgorithm): Promise<CryptoKeyPair> {
	const pair = await crypto.subtle.generateKey(generation[algorithm], false, ['sign', 'verify']);
	if (!('privateKey' in pair)) {
		throw new TypeError(`dpop(): Web Crypto generated no key pair for ${algorithm}`);
	}
	return pair;
}

/** The hash of an RSA key (`SHA-256`…). */
function hashName(key: CryptoKey): unknown {
	const {algorithm} = key;
	return 'hash' in algorithm && isRecord(algorithm.hash) ? algorithm.hash.name : undefined;
}

/** The curve of an elliptic-curve key (`P-256`…). */
function curveName(key: CryptoKey): unknown {
	const {algorithm} = key;
	return 'namedCurve' in algorithm ? algorithm.namedCurve : undefined;
}

/** The {@link DPoPAlgorithm} a key signs with, or `undefined` when it is none of them. */
export function algorithmOfKey(key: CryptoKey): DPoPAlgorithm | undefined {
	switch (key.algorithm.name) {
		case 'ECDSA': {
			return curveName(key) === 'P-256' ? 'ES256' : undefined;
		}
		case 'Ed25519': {
			return 'EdDSA';
		}
		case 'RSASSA-PKCS1-v1_5': {
			return hashName(key) === 'SHA-256' ? 'RS256' : undefined;
		}
		case 'RSA-PSS': {
			return hashName(key) === 'SHA-256' ? 'PS256' : undefined;
		}
		default: {
			return undefined;
		}
	}
}
