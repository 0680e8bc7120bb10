/** The request a DPoP proof is made for (RFC 9449 §4.2). */
export interface DPoPProofInput {
	/** The HTTP method, upper case. */
	readonly method: string;
	/** The request URL; the proof's `htu` is this URL without query and fragment. */
	readonly url: string;
	/**
	 * The access token the request carries, hashed into the proof's `ath`; absent at the token endpoint. It also
	 * says whose nonce the proof carries: a resource server's with it, the authorization server's without it.
	 */
	readonly accessToken?: string | undefined;
}

/**
 * Which server a response came from, for its `DPoP-Nonce` (RFC 9449 §8 and §9): a nonce is kept per origin and
 * role, so an authorization server's nonce never goes to a resource server on the same origin, or the reverse.
 */
export type DPoPServerRole = 'authorization-server' | 'resource-server';

/**
 * Makes DPoP proofs with one key pair and keeps what servers say about them: the last `DPoP-Nonce` of each
 * origin and the offset of the server's clock. `dpop()` from `ky-auth/dpop` is one (it is also the
 * credential scheme for resource requests); `ky-auth/oauth`'s grants take it as their `dpop` option, so the
 * token endpoint and the APIs see the same key.
 */
export interface DPoPProofs {
	/**
	 * A fresh proof (new `jti`, `iat` on the server's clock as last estimated, and the nonce that origin gave for
	 * this role, if any: the resource server's when `input.accessToken` is set, else the authorization server's).
	 */
	proof(input: DPoPProofInput): Promise<string>;
	/**
	 * Reads a response's `DPoP-Nonce` (per origin and `role`) and `Date` (clock offset); call it with every
	 * response. `ky-auth/oauth` passes `'authorization-server'` for the token endpoint's answers.
	 * @param role - Which server answered. Default: the authorization server's for a URL a proof without an
	 * access token was made for (a token endpoint), else a resource server's.
	 */
	observe(response: Response, url: string, role?: DPoPServerRole): void;
	/** The JWK SHA-256 thumbprint of the public key (RFC 7638), for `dpop_jkt` and for checking a token's `cnf.jkt`. */
	thumbprint(): Promise<string>;
}
