/**
 * One authentication challenge from a `WWW-Authenticate` header (RFC 9110 §11.6.1).
 *
 * @example
 * ```ts
 * { scheme: 'bearer', params: { error: 'insufficient_scope', scope: 'write' } }
 * ```
 */
export interface Challenge {
	/** The auth scheme, lowercased. */
	scheme: string;
	/** The auth parameters, names lowercased, values verbatim after unescaping. Has no prototype, so any name is safe. */
	params: Record<string, string>;
	/** The token68 form of credentials, when the challenge carries one instead of parameters. */
	token68?: string;
}
