import {HTTPError, isKyError, type BeforeErrorHook, type InitHook, type RetryOptions, type ShouldRetryState} from 'ky';
import {challengesOf} from '../challenge/from-response.js';
import {AuthHttpError} from '../errors/auth-http-error.js';
import {AuthenticationError} from '../errors/authentication-error.js';
import {hideFields, kyErrorFields} from '../errors/hide.js';
import {PermissionError} from '../errors/permission-error.js';
import {RefreshError} from '../errors/refresh-error.js';
import {StoreError} from '../errors/store-error.js';

const guarded = Symbol('ky-auth.retry-guard');

type GuardedShouldRetry = NonNullable<RetryOptions['shouldRetry']> & {[guarded]?: true};

/** Requests whose credentials ky-auth manages, shared by a client and everything extended from it. */
export type ManagedRequests = WeakSet<Request>;

function isAuthStatus(error: unknown, managed: ManagedRequests): error is HTTPError {
	return error instanceof HTTPError && (error.response.status === 401 || error.response.status === 403) && managed.has(error.request);
}

/**
 * An `init` hook that stops ky from retrying what ky-auth owns: a 401 (ky-auth already refreshed and
 * retried once), a 403 (never retried), and ky-auth's own errors, whatever the user's `retry` says.
 */
export function retryGuard(managed: ManagedRequests): InitHook {
	return options => {
		const retry: RetryOptions = typeof options.retry === 'number' ? {limit: options.retry} : {...options.retry};
		const userShouldRetry = retry.shouldRetry as GuardedShouldRetry | undefined;
		if (userShouldRetry?.[guarded]) {
			return;
		}
		const shouldRetry: GuardedShouldRetry = async (state: ShouldRetryState) => {
			const {error} = state;
			if (error instanceof RefreshError || error instanceof StoreError || error instanceof AuthHttpError || isAuthStatus(error, managed)) {
				return false;
			}
			return userShouldRetry?.(state);
		};
		shouldRetry[guarded] = true;
		retry.shouldRetry = shouldRetry;
		options.retry = retry;
	};
}

/**
 * A `beforeError` hook that turns a managed request's 401 into {@link AuthenticationError} and 403
 * into {@link PermissionError}, and hides the request/response/options of every ky error from logs.
 */
export function typedErrors(managed: ManagedRequests): BeforeErrorHook {
	return ({error}) => {
		if (isAuthStatus(error, managed) && !(error instanceof AuthHttpError)) {
			const init = {
				response: error.response,
				request: error.request,
				options: error.options,
				challenges: challengesOf(error.response),
				data: error.data,
				message: error.message,
			};
			return error.response.status === 401 ? new AuthenticationError(init) : new PermissionError(init);
		}
		if (isKyError(error)) {
			hideFields(error, kyErrorFields);
		}
		return error;
	};
}
