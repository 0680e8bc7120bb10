import {ResponseBodyError, WWWAuthenticateChallengeError} from 'oauth4webapi';
import {redactError} from '../redact/redact.js';
import {ConfigurationError, RefreshError, type OAuthErrorResponse} from '../errors/refresh-error.js';
import {isRecord} from '../utils/validate.js';
import {parseRetryAfter} from './retry-after.js';
import {endpointName, safeText} from './safe-text.js';

/** What an `invalid_grant` answer means: the refresh token is dead (the sign-in is over), or the client is misconfigured. */
export type InvalidGrantMeaning = 'signed-out' | 'configuration';

/**
 * OAuth error codes (RFC 6749 §5.2, RFC 8707 §2) after which the same request cannot succeed until the
 * client's registration or options change.
 */
const configurationErrors = new Set(['invalid_client', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'invalid_request', 'invalid_target']);

/** What the token endpoint answered, and what a failure built from it must not show. */
export interface Answer {
	readonly response: Response;
	/** The response body parsed as JSON, when it is JSON. */
	readonly body: unknown;
	readonly endpoint: URL;
	readonly secrets: readonly string[];
	/** The clock's time when the answer was read (to turn a `Retry-After` date into a delay). */
	readonly now: number;
}

function isRedirect(response: Response): boolean {
	return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
}

function redirectDetail(answer: Answer): string {
	const {response, endpoint} = answer;
	if (response.type === 'opaqueredirect') {
		return 'the token endpoint answered with a redirect, and token requests never follow redirects (the client\'s credentials would go along): set tokenEndpoint to the final URL';
	}
	const location = response.headers.get('location');
	const target = location !== null && URL.canParse(location, endpoint) ? ` to ${safeText(endpointName(new URL(location, endpoint)), answer.secrets)}` : '';
	return `the token endpoint answered HTTP ${response.status}, a redirect${target}, and token requests never follow redirects (the client's credentials would go along): set tokenEndpoint to the final URL`;
}

/**
 * The failure a status alone decides, before the body is read: a redirect, 429 or 5xx (transient, with the
 * server's `Retry-After`). `undefined` for any other status.
 */
export function statusFailure(answer: Answer): RefreshError | undefined {
	const {response} = answer;
	if (isRedirect(answer.response)) {
		return new RefreshError('REFRESH_FAILED', {detail: redirectDetail(answer), status: response.status});
	}
	if (isUnavailable(response)) {
		const retryAfter = parseRetryAfter(response.headers.get('retry-after'), answer.now);
		const wait = retryAfter === undefined ? '' : ` (Retry-After: ${retryAfter} ms)`;
		const oauthError = oauthErrorOf(undefined, answer);
		const said = oauthError === undefined ? '' : ` ${safeText(oauthError.code, answer.secrets)}`;
		return new RefreshError('REFRESH_FAILED', {detail: `the token endpoint answered HTTP ${response.status}${said}${wait}`, retryAfter, status: response.status, ...fieldsOf(oauthError, answer)});
	}
	return undefined;
}

/** A 429 or 5xx: the server is overloaded or down, whatever its body says (read for its OAuth error, if any). */
export function isUnavailable(response: Response): boolean {
	return response.status === 429 || response.status >= 500;
}

/** An OAuth error response (`error`, `error_description`, `error_uri`), read from oauth4webapi's error, the body or a challenge. */
interface OAuthError {
	readonly code: string;
	readonly description: string | undefined;
	readonly uri?: string | undefined;
}

function stringField(body: unknown, name: string): string | undefined {
	const value = isRecord(body) ? body[name] : undefined;
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function oauthErrorOf(error: unknown, answer: Answer): OAuthError | undefined {
	if (error instanceof ResponseBodyError) {
		return {code: error.error, description: error.error_description, uri: stringField(error.cause, 'error_uri')};
	}
	const {body, response} = answer;
	const code = stringField(body, 'error');
	if (response.status >= 400 && code !== undefined) {
		return {code, description: stringField(body, 'error_description'), uri: stringField(body, 'error_uri')};
	}
	if (error instanceof WWWAuthenticateChallengeError) {
		const challenge = error.cause.find(candidate => candidate.parameters.error !== undefined);
		if (challenge?.parameters.error !== undefined) {
			return {code: challenge.parameters.error, description: challenge.parameters.error_description};
		}
	}
	if (response.status === 401) {
		// RFC 6749 §5.2: a token endpoint answers 401 when the client authentication failed.
		return {code: 'invalid_client', description: 'HTTP 401 without an OAuth error body'};
	}
	return undefined;
}

/** The typed fields of a {@link RefreshError} for `oauthError`: the server's text made safe (no secret, one line). */
function fieldsOf(oauthError: OAuthError | undefined, answer: Answer): {oauth?: OAuthErrorResponse} {
	if (oauthError === undefined) {
		return {};
	}
	const safe = (text: string | undefined): string | undefined => (text === undefined ? undefined : safeText(text, answer.secrets) || undefined);
	const oauth: OAuthErrorResponse = {error: safeText(oauthError.code, answer.secrets), errorDescription: safe(oauthError.description), errorUri: safe(oauthError.uri)};
	return {oauth};
}

function describeOAuthError(oauthError: OAuthError, answer: Answer): string {
	const code = safeText(oauthError.code, answer.secrets);
	const description = oauthError.description === undefined ? '' : safeText(oauthError.description, answer.secrets);
	return `the token endpoint answered HTTP ${answer.response.status} ${code}${description === '' ? '' : ` (${JSON.stringify(description)})`}`;
}

/**
 * What a response oauth4webapi refused means: `null` when the refresh token was rejected (`invalid_grant`,
 * if `invalidGrant` is `signed-out`), a {@link ConfigurationError} when the client is refused, else a
 * transient `REFRESH_FAILED` (honouring `Retry-After`).
 */
export function answerFailure(error: unknown, answer: Answer, invalidGrant: InvalidGrantMeaning): RefreshError | null {
	const oauthError = oauthErrorOf(error, answer);
	if (oauthError !== undefined) {
		if (oauthError.code === 'invalid_grant' && invalidGrant === 'signed-out') {
			return null;
		}
		// The status, code and description say it all: oauth4webapi's error adds only "server responded with an error".
		const detail = describeOAuthError(oauthError, answer);
		const fields = {status: answer.response.status, ...fieldsOf(oauthError, answer)};
		if (oauthError.code === 'invalid_grant' || configurationErrors.has(oauthError.code)) {
			return new ConfigurationError({detail, ...fields});
		}
		return new RefreshError('REFRESH_FAILED', {detail, retryAfter: parseRetryAfter(answer.response.headers.get('retry-after'), answer.now), ...fields});
	}
	const cause = redactError(error, answer.secrets);
	const {status} = answer.response;
	const detail = status >= 200 && status < 300
		? `the token endpoint answered HTTP ${status} without a valid token response`
		: `the token endpoint answered HTTP ${status} without an OAuth error`;
	return new RefreshError('REFRESH_FAILED', {cause, detail, retryAfter: parseRetryAfter(answer.response.headers.get('retry-after'), answer.now), status});
}

/** What a token request that got no answer means: never sent (the request could not be built), or not answered. */
export function requestFailure(error: unknown, context: {readonly sent: boolean; readonly aborted: boolean; readonly endpoint: URL; readonly secrets: readonly string[]}): RefreshError {
	const cause = redactError(error, context.secrets);
	if (!context.sent) {
		// oauth4webapi refuses to build the request (a key it cannot sign with): retrying cannot help.
		return new ConfigurationError({cause, detail: 'the token request could not be built'});
	}
	const endpoint = safeText(endpointName(context.endpoint), context.secrets);
	const detail = context.aborted ? `the token request to ${endpoint} was aborted` : `the token endpoint ${endpoint} could not be reached`;
	return new RefreshError('REFRESH_FAILED', {cause, detail});
}
