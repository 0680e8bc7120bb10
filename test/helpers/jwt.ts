/** An unsigned JWT with the given claims (ky-auth verifies nothing; the server is the judge). Works in Node and browsers. */
export function jwt(claims: Record<string, unknown>): string {
	return `${base64url({alg: 'none', typ: 'JWT'})}.${base64url(claims)}.sig`;
}

/** base64url of a JSON value, or of a raw string. */
export function base64url(value: unknown): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	const bytes = new TextEncoder().encode(text);
	let binary = '';
	for (const byte of bytes) {
		binary += String.fromCharCode(byte);
	}
	return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
