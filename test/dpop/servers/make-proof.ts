import {randomUUID} from 'node:crypto';
import {calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK} from 'jose';
import {accessTokenHash} from './verify-proof.js';

/** A proof key pair made in the test, with its public JWK and RFC 7638 thumbprint. */
export interface ProofKey {
	readonly alg: string;
	readonly privateKey: CryptoKey;
	readonly publicJwk: JWK;
	readonly jkt: string;
}

/** A fresh key pair for `alg` (ES256 by default). */
export async function createProofKey(alg = 'ES256'): Promise<ProofKey> {
	const {privateKey, publicKey} = await generateKeyPair(alg, {extractable: true});
	const publicJwk = await exportJWK(publicKey);
	return {alg, privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, 'sha256')};
}

/** The claims of a test proof; what is left out gets a correct default. */
export interface ProofInput {
	readonly htm: string;
	readonly htu: string;
	/** Seconds since the epoch. Default: now on the machine's clock. */
	readonly iat?: number;
	/** Default: a random UUID. */
	readonly jti?: string;
	readonly nonce?: string;
	/** Sets `ath` to its hash. */
	readonly accessToken?: string;
	/** Overrides `ath` (for a wrong one). */
	readonly ath?: string;
}

/** Ways to make a proof wrong on purpose. */
export interface ProofTweaks {
	readonly typ?: string;
	readonly alg?: string;
	/** The header's `jwk` (default: the key's public JWK). */
	readonly jwk?: JWK;
	/** What signs (default: the key's private key). */
	readonly signWith?: CryptoKey | Uint8Array;
}

/** A DPoP proof JWT made directly with jose's SignJWT, as a correct client would (unless tweaked). */
export async function makeProof(key: ProofKey, input: ProofInput, tweaks: ProofTweaks = {}): Promise<string> {
	const claims: Record<string, unknown> = {htm: input.htm, htu: input.htu};
	if (input.nonce !== undefined) claims.nonce = input.nonce;
	const ath = input.ath ?? (input.accessToken === undefined ? undefined : accessTokenHash(input.accessToken));
	if (ath !== undefined) claims.ath = ath;
	return new SignJWT(claims)
		.setProtectedHeader({typ: tweaks.typ ?? 'dpop+jwt', alg: tweaks.alg ?? key.alg, jwk: tweaks.jwk ?? key.publicJwk})
		.setIssuedAt(input.iat ?? Math.floor(Date.now() / 1000))
		.setJti(input.jti ?? randomUUID())
		.sign(tweaks.signWith ?? key.privateKey);
}
