import {summarizeCause} from './summary.js';

/** Why a refresh failed: the stable `code` of a {@link RefreshError}. */
export type RefreshErrorCode = 'REFRESH_FAILED' | 'REFRESH_TIMEOUT' | 'REFRESH_INVALID_RESULT' | 'REFRESH_UNAVAILABLE';

/** What {@link RefreshError} is built from. */
export interface RefreshErrorOptions {
	/** The error the refresh failed with, already redacted (`redactError`): its one-line summary ends the message. */
	cause?: unknown;
	/** What went wrong, in words: `no result within 30000 ms`; for `REFRESH_INVALID_RESULT`, what was got instead of a TokenSet. */
	detail?: string;
}

const messages: Record<RefreshErrorCode, string> = {
	REFRESH_FAILED: 'The token refresh failed',
	REFRESH_TIMEOUT: 'The token refresh timed out',
	REFRESH_INVALID_RESULT: 'The token refresh returned an invalid result',
	REFRESH_UNAVAILABLE: 'The session has no refresh function',
};

function message(code: RefreshErrorCode, detail: string | undefined, cause: unknown): string {
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

	constructor(code: RefreshErrorCode, options?: RefreshErrorOptions) {
		const cause = options?.cause;
		super(message(code, options?.detail, cause), cause === undefined ? undefined : {cause});
		this.code = code;
	}
}
