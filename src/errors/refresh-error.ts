import {dev, seeDocs} from '../utils/dev.js';
import {summarizeCause} from '../redact/summary.js';

/** Why a refresh failed: the stable `code` of a {@link RefreshError}. */
export type RefreshErrorCode = 'REFRESH_FAILED' | 'REFRESH_TIMEOUT' | 'REFRESH_INVALID_RESULT' | 'REFRESH_UNAVAILABLE' | 'CONFIGURATION_ERROR';

/**
 * An OAuth error response (RFC 6749 §5.2) as the token endpoint gave it, on a {@link RefreshError}: branch on
 * `error` (`invalid_grant`, `invalid_client`, `temporarily_unavailable`…), never on the message. Every value is
 * the server's text made safe: its first line, at most 200 characters, with any secret of the request removed.
 */
export interface OAuthErrorResponse {
	/** `error`: the OAuth error code. */
	readonly error: string;
	/** `error_description`, when the server sent one. */
	readonly errorDescription?: string | undefined;
	/** `error_uri`, when the server sent one. */
	readonly errorUri?: string | undefined;
}

/** What {@link RefreshError} is built from. */
export interface RefreshErrorOptions {
	/** The error the refresh failed with, already redacted (`redactError`): its one-line summary ends the message. */
	cause?: unknown;
	/** What went wrong, in words: `no result within 30000 ms`; for `REFRESH_INVALID_RESULT`, what was got instead of a TokenSet. */
	detail?: string;
	/**
	 * Milliseconds before another attempt can help (a token endpoint's `Retry-After` on 429 or 503). A machine
	 * session waits at least this long before it calls the token endpoint again.
	 */
	retryAfter?: number;
	/** The OAuth error response the token endpoint answered with, when it did (`ky-auth/oauth` fills it). */
	oauth?: OAuthErrorResponse;
	/** The HTTP status of the token endpoint's answer, when there was one (`ky-auth/oauth` fills it). */
	status?: number;
}

const messages: Record<RefreshErrorCode, string> = {
	REFRESH_FAILED: 'The token refresh failed',
	REFRESH_TIMEOUT: 'The token refresh timed out',
	REFRESH_INVALID_RESULT: 'The token refresh returned an invalid result',
	REFRESH_UNAVAILABLE: 'The session has no refresh function',
	CONFIGURATION_ERROR: 'The token endpoint refused this client (check the client id, secret or key, and its allowed grants)',
};

/** The full message: what happened, the detail, the cause's summary. */
function fullMessage(code: RefreshErrorCode, detail: string | undefined, cause: unknown): string {
	const parts = [messages[code]];
	if (detail) {
		parts.push(code === 'REFRESH_INVALID_RESULT' ? `expected a TokenSet or null, got ${detail}` : detail);
	}
	const summary = summarizeCause(cause);
	if (summary) {
		parts.push(summary);
	}
	return parts.join(': ');
}

/**
 * The refresh failed, timed out or returned junk. Every request that waited for it rejects with this
 * error; the tokens are kept and the next request may try again. The original error is the `cause`
 * (with any token redacted), and the message ends with its one-line summary, so a log line tells why:
 * `The token refresh failed: TypeError: fetch failed`.
 *
 * @example
 * ```ts
 * try { await api.get('me'); } catch (error) { if (error instanceof RefreshError) showOfflineBanner(); }
 * ```
 */
export class RefreshError extends Error {
	override name = 'RefreshError';
	/** Stable machine-readable reason. */
	readonly code: RefreshErrorCode;
	/** Milliseconds before another attempt can help, when the token endpoint said so (`Retry-After`). */
	readonly retryAfter: number | undefined;
	/**
	 * The OAuth error response (`error`, `errorDescription`, `errorUri`) the token endpoint answered with, when the
	 * refresh failed on one; `undefined` otherwise (a timeout, a network error, your own `refresh`'s error).
	 */
	readonly oauth: OAuthErrorResponse | undefined;
	/** The HTTP status of the token endpoint's answer the refresh failed on, when there was one; `undefined` otherwise. */
	readonly status: number | undefined;

	constructor(code: RefreshErrorCode, options?: RefreshErrorOptions) {
		const cause = options?.cause;
		super(dev ? fullMessage(code, options?.detail, cause) : seeDocs(code), cause === undefined ? undefined : {cause});
		this.code = code;
		this.retryAfter = options?.retryAfter;
		this.oauth = options?.oauth;
		this.status = options?.status;
	}
}

/**
 * The token endpoint refused the client itself (`invalid_client`, `unauthorized_client`): retrying the same
 * request cannot help until the configuration is fixed. A {@link RefreshError} with code `CONFIGURATION_ERROR`,
 * so every rule for refresh failures applies; a machine session tries again only after its longest backoff.
 *
 * @example
 * ```ts
 * try { await api.get('jobs'); } catch (error) { if (error instanceof ConfigurationError) alertOperator(error); }
 * ```
 */
export class ConfigurationError extends RefreshError {
	override name = 'ConfigurationError';

	constructor(options?: Omit<RefreshErrorOptions, 'retryAfter'>) {
		super('CONFIGURATION_ERROR', options);
	}
}
