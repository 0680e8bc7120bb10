import {HTTPError, isKyError, type BeforeErrorHook, type BeforeRetryHook, type Options, type RetryOptions} from 'ky';
import {challengesOf} from '../challenge/from-response.js';
import {takeCredentialsOff, type InFlight} from './hop.js';
import {carrySpentRefresh} from './spent-refreshes.js';
import type {ManagedRequests, Tracking} from './tracking.js';
import {AuthHttpError} from '../errors/auth-http-error.js';
import {AuthenticationError} from '../errors/authentication-error.js';
import {hideFields, kyErrorFields} from '../errors/hide.js';
import {PermissionError} from '../errors/permission-error.js';
import {StepUpRequiredError} from '../errors/step-up-required-error.js';
import {stepUpChallenge} from '../challenge/step-up.js';
import {RefreshError} from '../errors/refresh-error.js';
import {StoreError} from '../errors/store-error.js';
import {isRecord} from '../utils/validate.js';

const guarded = Symbol('ky-auth.retry-guard');

type GuardedShouldRetry = NonNullable<RetryOptions['shouldRetry']> & {[guarded]?: true};

/**
 * Takes the credentials off `request` and off the request `error` holds, where either's send is still pending (a
 * timeout over a fetch that ignores the abort), so no hook, handler or log after this sees them.
 */
function scrub(inFlight: InFlight, error: unknown, request?: Request): void {
	takeCredentialsOff(request, inFlight);
	takeCredentialsOff(isRecord(error) ? error.request : undefined, inFlight);
}

function isAuthStatus(error: unknown, managed: ManagedRequests): error is HTTPError {
	return error instanceof HTTPError && (error.response.status === 401 || error.response.status === 403) && managed.has(error.request);
}

/** Whether ky must not retry `error`: ky-auth already refreshed and retried a 401, a 403 is never retried, nor are ky-auth's own errors. */
function ownedByAuth(error: unknown, managed: ManagedRequests): boolean {
	return error instanceof RefreshError || error instanceof StoreError || error instanceof AuthHttpError || isAuthStatus(error, managed);
}

/**
 * Wraps the `retry` option so ky never retries what ky-auth owns, whatever the user's `retry` says
 * (`statusCodes` listing 401 or 403 included), and the user's `shouldRetry` never sees credentials on a request
 * whose send is still pending. Applied when the client is created and extended, so it costs nothing per request.
 */
export function guardRetry(retry: Options['retry'], {managed, inFlight}: Tracking): RetryOptions {
	const options: RetryOptions = typeof retry === 'number' ? {limit: retry} : {...retry};
	const userShouldRetry = options.shouldRetry as GuardedShouldRetry | undefined;
	if (userShouldRetry?.[guarded]) {
		return options;
	}
	const shouldRetry: GuardedShouldRetry = async state => {
		if (ownedByAuth(state.error, managed)) {
			return false;
		}
		// The user's function may log the error: a request whose send is still pending must not show its credentials.
		scrub(inFlight, state.error);
		return userShouldRetry?.(state);
	};
	shouldRetry[guarded] = true;
	options.shouldRetry = shouldRetry;
	return options;
}

/**
 * ky-auth's `beforeRetry` hook, ahead of the user's; one hook, as ky merges every hook of an instance into each
 * request's options. In order: it takes the credentials off a request ky retries while its send is still pending
 * (a timeout over a fetch that ignores the abort), so later hooks and their logs never see them; it rethrows what
 * ky-auth owns, which ends ky's retries and sends the error through `beforeError` (the safety net for a
 * per-request `retry` that replaced the guarded `shouldRetry`); and it marks ky's retry of an attempt whose
 * refresh was spent as spent too (see {@link carrySpentRefresh}).
 */
export function beforeRetry({managed, inFlight, spent}: Tracking): BeforeRetryHook {
	return ({request, error}) => {
		scrub(inFlight, error, request);
		if (ownedByAuth(error, managed)) {
			throw error;
		}
		carrySpentRefresh(request, error, spent);
	};
}

/**
 * A `beforeError` hook that turns a managed request's 401 into {@link AuthenticationError} (or
 * {@link StepUpRequiredError} for an RFC 9470 step-up challenge) and 403 into {@link PermissionError}, and hides the request/response/options of every ky error from logs.
 * First, it removes the token from a request ky gave up on while its send was pending (a timeout
 * over a fetch that ignores the abort), so no later hook or handler sees it.
 */
export function typedErrors({managed, inFlight}: Tracking): BeforeErrorHook {
	return ({error, request}) => {
		scrub(inFlight, error, request);
		if (isAuthStatus(error, managed) && !(error instanceof AuthHttpError)) {
			const init = {
				response: error.response,
				request: error.request,
				options: error.options,
				challenges: challengesOf(error.response),
				data: error.data,
				message: error.message,
			};
			if (error.response.status === 403) {
				return new PermissionError(init);
			}
			if (stepUpChallenge(init.challenges)) {
				return new StepUpRequiredError(init);
			}
			return new AuthenticationError({...init, code: managed.get(error.request) ?? 'AUTHENTICATION_FAILED'});
		}
		if (isKyError(error)) {
			hideFields(error, kyErrorFields);
		}
		return error;
	};
}
