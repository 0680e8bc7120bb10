import {base64url, SignJWT} from 'jose';
import type {SigningKey} from './signing-key.js';

/** The claims of one proof (RFC 9449 §4.2), computed by the caller. */
export interface ProofClaims {
	readonly htm: string;
	readonly htu: string;
	/** Seconds since the epoch, on the server's clock as estimated. */
	readonly iat: number;
	readonly accessToken: string | undefined;
	readonly nonce: string | undefined;
}

/** `ath`: base64url of the SHA-256 of the access token's ASCII bytes (RFC 9449 §4.2). */
async function accessTokenHash(accessToken: string): Promise<string> {
	return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))));
}

/** Signs a DPoP proof JWT (`typ: dpop+jwt`, the public `jwk` in the header) with a fresh `jti`. */
export async function signProof(key: SigningKey, claims: ProofClaims): Promise<string> {
	const payload: Record<string, string | number> = {
		htm: claims.htm,
		htu: claims.htu,
		iat: claims.iat,
		jti: crypto.randomUUID(),
	};
	if (claims.accessToken !== undefined) {
		payload.ath = await accessTokenHash(claims.accessToken);
	}
	if (claims.nonce !== undefined) {
		payload.nonce = claims.nonce;
	}
	return new SignJWT(payload).setProtectedHeader({alg: key.algorithm, typ: 'dpop+jwt', jwk: key.jwk}).sign(key.privateKey);
}
