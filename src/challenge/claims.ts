import type {Challenge} from './challenge.js';

/**
 * The claims an `insufficient_claims` challenge asks for (Microsoft Entra's Conditional Access: `claims` is
 * base64-encoded JSON), decoded when it is base64 (or base64url) of UTF-8 JSON, else as sent; `undefined` without
 * such a challenge.
 */
export function claimsChallenge(challenges: readonly Challenge[]): string | undefined {
	const claims = challenges.find(challenge => challenge.params.error === 'insufficient_claims')?.params.claims;
	if (claims === undefined || claims === '') {
		return undefined;
	}
	try {
		if (/^[\w+/-]+={0,2}$/.test(claims)) {
			const binary = atob(claims.replaceAll('-', '+').replaceAll('_', '/'));
			const decoded = new TextDecoder('utf-8', {fatal: true}).decode(Uint8Array.from(binary, character => character.charCodeAt(0)));
			JSON.parse(decoded);
			return decoded;
		}
	} catch {
		// Not base64, not UTF-8 or not JSON: the claims as sent.
	}
	return claims;
}
