import type {Challenge} from './challenge.js';

/** RFC 9470's error code: the token is valid, but the user must authenticate again, more strongly or more recently. */
export const stepUpError = 'insufficient_user_authentication';

/** The challenge asking for step-up authentication (RFC 9470 §3), if any. */
export function stepUpChallenge(challenges: readonly Challenge[]): Challenge | undefined {
	return challenges.find(challenge => challenge.params.error === stepUpError);
}
