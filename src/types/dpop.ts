/** The request a DPoP proof is made for (RFC 9449 §4.2). */
export interface DPoPProofInput {
	/** The HTTP method, upper case. */
	readonly method: string;
	/** The request URL; the proof's `htu` is this URL without query and fragment. */
	readonly url: string;
	/** The access token the request carries, hashed into the proof's `ath`; absent at the token endpoint. */
	readonly accessToken?: string | undefined;
}

/**
 * Makes DPoP proofs with one key pair and keeps what servers say about them: the last `DPoP-Nonce` of each
 * origin and the offset of the server's clock. `dpop()` from `ky-auth/dpop` is one (it is also the
 * credential scheme for resource requests); `ky-auth/oauth`'s grants take it as their `dpop` option, so the
 * token endpoint and the APIs see the same key.
 */
export interface DPoPProofs {
	/** A fresh proof (new `jti`, `iat` on the server's clock as last estimated, the origin's nonce if any). */
	proof(input: DPoPProofInput): Promise<string>;
	/** Reads a response's `DPoP-Nonce` (per origin) and `Date` (clock offset); call it with every response. */
	observe(response: Response, url: string): void;
	/** The JWK SHA-256 thumbprint of the public key (RFC 7638), for `dpop_jkt` and for checking a token's `cnf.jkt`. */
	thumbprint(): Promise<string>;
}
