import {claimsChallenge} from '../../challenge/claims.js';
import {stepUpChallenge} from '../../challenge/step-up.js';
import type {Challenge} from '../../challenge/challenge.js';
import type {SchemeVerdict} from '../../types/scheme.js';

function hasError(challenges: readonly Challenge[], error: string): boolean {
	return challenges.some(challenge => challenge.params.error === error);
}

/**
 * What a 401 to a DPoP request means (RFC 9449 §7.1, §9; RFC 9470; RFC 6750 §3.1), by the `error` of its
 * challenges (of any scheme: a server may answer a DPoP request with a `Bearer` challenge):
 * - `use_dpop_nonce`: `retry`: the nonce came with this 401 and is cached; one retry, no refresh;
 * - `invalid_dpop_proof`: `retry`: most often our `iat` was off, and this 401's `Date` corrected the clock
 *   offset; the transport retries once, so a proof refused for another reason costs one request, not a loop;
 * - `insufficient_user_authentication` (step-up): `final`, a refresh cannot help;
 * - `insufficient_claims`: `refresh` with the claims the challenge asks for;
 * - anything else (`invalid_token`, no challenge): `refresh`, then one retry.
 */
export function dpopVerdict(challenges: readonly Challenge[]): SchemeVerdict {
	if (stepUpChallenge(challenges) !== undefined) {
		return {action: 'final'};
	}
	if (hasError(challenges, 'use_dpop_nonce') || hasError(challenges, 'invalid_dpop_proof')) {
		return {action: 'retry'};
	}
	const claims = claimsChallenge(challenges);
	return claims === undefined ? {action: 'refresh'} : {action: 'refresh', claims};
}
