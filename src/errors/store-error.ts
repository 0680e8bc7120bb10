import {dev, seeDocs} from '../utils/dev.js';
import {redactError} from '../redact/redact.js';
import {summarizeCause} from '../redact/summary.js';

/** Why a store operation failed: the stable `code` of a {@link StoreError}. */
export type StoreErrorCode = 'STORE_READ_FAILED' | 'STORE_WRITE_FAILED';

/**
 * The token store threw while reading or writing. The request that needed it rejects with this error
 * (the store's own error is the `cause`); nothing hangs.
 *
 * A store's error may quote what it was reading or writing, token records included. Pass the tokens
 * involved as `secrets`: they are removed from the cause with {@link redactError}, and the message then
 * ends with the cause's one-line summary (`The token store failed to write: QuotaExceededError: …`).
 * Without `secrets` the message is the bare `The token store failed to write`, since nothing vouches
 * that the cause holds no token.
 *
 * @example
 * ```ts
 * session.addEventListener('storeerror', (event) => report((event as CustomEvent).detail));
 * new StoreError('STORE_WRITE_FAILED', error, [tokens.accessToken, tokens.refreshToken]);
 * ```
 */
export class StoreError extends Error {
	override name = 'StoreError';
	/** Stable machine-readable reason. */
	readonly code: StoreErrorCode;

	/**
	 * @param code - What failed.
	 * @param cause - The store's error.
	 * @param secrets - Tokens to remove from `cause` (`[]` when none are involved); when given, the message ends with the cause's summary.
	 */
	constructor(code: StoreErrorCode, cause: unknown, secrets?: ReadonlyArray<string | undefined>) {
		const redacted = secrets ? redactError(cause, secrets) : cause;
		const summary = dev && secrets ? summarizeCause(redacted) : undefined;
		const base = dev ? (code === 'STORE_READ_FAILED' ? 'The token store failed to read' : 'The token store failed to write') : seeDocs(code);
		super(summary ? `${base}: ${summary}` : base, {cause: redacted});
		this.code = code;
	}
}
