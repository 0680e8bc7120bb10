import {AuthHttpError, type AuthHttpErrorInit} from './auth-http-error.js';

/**
 * Why authentication failed:
 * - `AUTHENTICATION_FAILED`: a 401 that survived one refresh and one retry, or a 401 with no way to refresh.
 * - `SESSION_ENDED`: there is no session (the refresh returned `null`, it signed out or was never signed in,
 *   or its token expired with no refresh function). `response` is the 401 when the request was sent, or `Response.error()`
 *   (`response.type === 'error'`) when it waited for the refresh and was never sent.
 */
export type AuthenticationErrorCode = 'AUTHENTICATION_FAILED' | 'SESSION_ENDED';

/**
 * The server still refuses the credentials, or the session is over. Extends ky's `HTTPError`.
 *
 * @example
 * ```ts
 * try { await api.get('me'); } catch (error) { if (error instanceof AuthenticationError) redirectToLogin(); }
 * ```
 */
export class AuthenticationError extends AuthHttpError {
	/** Stable machine-readable reason. */
	readonly code: AuthenticationErrorCode;

	constructor(init: AuthHttpErrorInit & {code?: AuthenticationErrorCode}) {
		super('AuthenticationError', init);
		this.code = init.code ?? 'AUTHENTICATION_FAILED';
	}
}

/** Builds the `SESSION_ENDED` error for a request that never went out. */
export function sessionEnded(request: Request): AuthenticationError {
	return new AuthenticationError({
		code: 'SESSION_ENDED',
		response: Response.error(),
		request,
		message: `The session has ended; sign in again: ${request.method} ${request.url}`,
	});
}
