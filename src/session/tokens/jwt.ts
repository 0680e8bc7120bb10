import {jwtDecode} from 'jwt-decode';

/**
 * The expiry (epoch ms) of a JWT access token, or `null` when it is opaque, malformed or has no `exp`.
 * With `iat`, the lifetime `exp - iat` is anchored at `receivedAt`, so a skewed client clock does not
 * matter. Nothing is verified: the server remains the judge of validity.
 */
export function jwtExpiry(token: string, receivedAt: number): number | null {
	let claims: unknown;
	try {
		claims = jwtDecode(token);
	} catch {
		return null;
	}
	if (typeof claims !== 'object' || claims === null) {
		return null;
	}
	const {exp, iat} = claims as {exp?: unknown; iat?: unknown};
	if (typeof exp !== 'number' || !Number.isFinite(exp)) {
		return null;
	}
	if (typeof iat === 'number' && Number.isFinite(iat) && iat <= exp) {
		return receivedAt + ((exp - iat) * 1000);
	}
	return exp * 1000;
}
