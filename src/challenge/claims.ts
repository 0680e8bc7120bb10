import type {Challenge} from './challenge.js';

/** Decodes a base64 (or base64url) text to UTF-8, when it is that; `undefined` otherwise. */
function fromBase64(text: string): string | undefined {
	if (!/^[\w+/-]+={0,2}$/.test(text)) {
		return undefined;
	}
	try {
		const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
		return new TextDecoder('utf-8', {fatal: true}).decode(Uint8Array.from(binary, character => character.codePointAt(0) ?? 0));
	} catch {
		return undefined;
	}
}

/**
 * The claims an `insufficient_claims` challenge asks for (Microsoft Entra's Conditional Access: `claims` is
 * base64-encoded JSON), decoded when it decodes to JSON, else as sent; `undefined` without such a challenge.
 */
export function claimsChallenge(challenges: readonly Challenge[]): string | undefined {
	const claims = challenges.find(challenge => challenge.params.error === 'insufficient_claims')?.params.claims;
	if (claims === undefined || claims === '') {
		return undefined;
	}
	const decoded = fromBase64(claims);
	if (decoded !== undefined) {
		try {
			JSON.parse(decoded);
			return decoded;
		} catch {
			return claims;
		}
	}
	return claims;
}
