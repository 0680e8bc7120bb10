/** An unsigned JWT with the given claims (ky-auth verifies nothing; the server is the judge). */
export function jwt(claims: Record<string, unknown>): string {
	const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	return `${encode({alg: 'none', typ: 'JWT'})}.${encode(claims)}.sig`;
}
