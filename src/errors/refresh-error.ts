/** Why a refresh failed: the stable `code` of a {@link RefreshError}. */
export type RefreshErrorCode = 'REFRESH_FAILED' | 'REFRESH_TIMEOUT' | 'REFRESH_INVALID_RESULT' | 'REFRESH_UNAVAILABLE';

const messages: Record<RefreshErrorCode, string> = {
	REFRESH_FAILED: 'The token refresh failed',
	REFRESH_TIMEOUT: 'The token refresh timed out',
	REFRESH_INVALID_RESULT: 'The token refresh returned something that is not a TokenSet or null',
	REFRESH_UNAVAILABLE: 'The session has no refresh function',
};

/**
 * The refresh failed, timed out or returned junk. Every request that waited for it rejects with this
 * error; the tokens are kept and the next request may try again. The original error is the `cause`
 * (with any token redacted).
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

	constructor(code: RefreshErrorCode, options?: {cause?: unknown; detail?: string}) {
		super(options?.detail ? `${messages[code]}: ${options.detail}` : messages[code], {cause: options?.cause});
		this.code = code;
	}
}
