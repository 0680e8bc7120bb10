import {dev, seeDocs} from '../utils/dev.js';
import {stepUpChallenge} from '../challenge/step-up.js';
import {AuthHttpError, type AuthHttpErrorInit} from './auth-http-error.js';

/**
 * The server answered 401 with `error="insufficient_user_authentication"` (RFC 9470): the token is valid,
 * but the user must sign in again more strongly (`acrValues`) or more recently (`maxAge`). No refresh can
 * help, so none runs and the request is not retried. Start an authorization request with these values,
 * then `signIn()` with its tokens. Extends ky's `HTTPError`.
 *
 * @example
 * ```ts
 * try { await api.post('transfers', { json: transfer }); }
 * catch (error) { if (error instanceof StepUpRequiredError) startLogin({ acrValues: error.acrValues, maxAge: error.maxAge }); }
 * ```
 */
export class StepUpRequiredError extends AuthHttpError {
	/** Stable machine-readable reason. */
	readonly code = 'STEP_UP_REQUIRED';
	/** The authentication context class references the server asks for (`acr_values`, space-separated), `[]` when none. */
	readonly acrValues: readonly string[];
	/** The longest time since the user authenticated that the server accepts (`max_age`, seconds), when it says. */
	readonly maxAge: number | undefined;

	constructor(init: AuthHttpErrorInit) {
		super('StepUpRequiredError', {
			...init,
			message: (dev ? `${init.message ?? 'Request failed with status code 401'}. The server asks the user to authenticate again (step-up): start a new sign-in with the acrValues and maxAge of this error.` : seeDocs('STEP_UP_REQUIRED')),
		});
		const challenge = stepUpChallenge(this.challenges);
		this.acrValues = Object.freeze(challenge?.params.acr_values?.split(' ').filter(Boolean) ?? []);
		const maxAge = Number(challenge?.params.max_age);
		this.maxAge = challenge?.params.max_age !== undefined && Number.isSafeInteger(maxAge) && maxAge >= 0 ? maxAge : undefined;
	}
}
