import {dev, seeDocs} from '../utils/dev.js';
import {AuthHttpError, type AuthHttpErrorInit} from './auth-http-error.js';

/**
 * Why authentication failed:
 * - `AUTHENTICATION_FAILED`: a 401 that survived one refresh and one retry, or a 401 with no way to refresh.
 * - `SESSION_ENDED`: the session ended under the request (the refresh returned `null`, it signed out or another
 *   user signed in meanwhile, or its token expired with no refresh function).
 * - `NOT_SIGNED_IN`: nobody was signed in when the request was made (before the first `signIn()`, or after a
 *   `signOut()`): it was sent without credentials, and the server answered 401. `response` is the 401 when the request was sent, or `Response.error()`
 *   (`response.type === 'error'`) when it waited for the refresh and was never sent.
 */
export type AuthenticationErrorCode = 'AUTHENTICATION_FAILED' | 'SESSION_ENDED' | 'NOT_SIGNED_IN';

/** What to do, by code: the sentence every {@link AuthenticationError} message ends with. */
export const authenticationHints: Readonly<Record<AuthenticationErrorCode, string>> = Object.freeze(dev
	? {
		AUTHENTICATION_FAILED: 'The server refused the credentials even after a refresh (or there was no way to refresh): sign in again, or check that the tokens are meant for this API.',
		SESSION_ENDED: 'The session has ended: sign in again.',
		NOT_SIGNED_IN: 'Nobody is signed in, so the request was sent without credentials: sign in first (session.signIn(tokens)).',
	}
	: {AUTHENTICATION_FAILED: seeDocs('AUTHENTICATION_FAILED'), SESSION_ENDED: seeDocs('SESSION_ENDED'), NOT_SIGNED_IN: seeDocs('NOT_SIGNED_IN')});

/** `message` followed by the hint for `code`, once. */
function withHint(message: string, code: AuthenticationErrorCode): string {
	const hint = authenticationHints[code];
	if (message.includes(hint)) {
		return message;
	}
	return message === '' ? hint : `${message}. ${hint}`;
}

/**
 * The server still refuses the credentials, or the session is over. Extends ky's `HTTPError`.
 * The message says what happened (ky's `Request failed with status code 401 …`, or that the request was
 * not sent) and ends with what to do, by `code`: see {@link authenticationHints}.
 *
 * @example
 * ```ts
 * try { await api.get('me'); } catch (error) { if (error instanceof AuthenticationError) redirectToLogin(); }
 * ```
 */
export class AuthenticationError extends AuthHttpError {
	/** Stable machine-readable reason. */
	readonly code: AuthenticationErrorCode;

	/** `init.message` (ky's message when absent) gets the hint for `init.code` appended. */
	constructor(init: AuthHttpErrorInit & {code?: AuthenticationErrorCode}) {
		super('AuthenticationError', init);
		this.code = init.code ?? 'AUTHENTICATION_FAILED';
		this.replaceMessage(withHint(this.message, this.code));
	}
}

/** Builds the `SESSION_ENDED` error for a request that never went out. */
export function sessionEnded(request: Request): AuthenticationError {
	return new AuthenticationError({
		code: 'SESSION_ENDED',
		response: Response.error(),
		request,
		message: `The request was not sent: ${request.method} ${request.url}`,
	});
}
