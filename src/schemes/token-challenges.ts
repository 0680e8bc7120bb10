import {claimsChallenge} from '../challenge/claims.js';
import {stepUpChallenge} from '../challenge/step-up.js';
import type {Challenge} from '../challenge/challenge.js';
import type {SchemeVerdict} from '../types/scheme.js';

const final: SchemeVerdict = {action: 'final'};
const refresh: SchemeVerdict = {action: 'refresh'};

/**
 * What a 401 means for a scheme that sends the session's token (RFC 6750 §3, RFC 9470):
 * `insufficient_user_authentication` asks the user to authenticate again, which no refresh can do (`final`);
 * `insufficient_claims` asks the refresh for claims; `invalid_token`, any other error or no challenge at all
 * mean the token was rejected (`refresh`).
 */
export function tokenVerdict(challenges: readonly Challenge[]): SchemeVerdict {
	if (stepUpChallenge(challenges)) {
		return final;
	}
	const claims = claimsChallenge(challenges);
	return claims === undefined ? refresh : {action: 'refresh', claims};
}
