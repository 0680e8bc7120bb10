/**
 * The token store threw while reading or writing. The request that needed it rejects with this error
 * (the store's own error is the `cause`); nothing hangs.
 *
 * @example
 * ```ts
 * session.addEventListener('storeerror', (event) => report((event as CustomEvent).detail));
 * ```
 */
export class StoreError extends Error {
	override name = 'StoreError';
	/** Stable machine-readable reason. */
	readonly code: 'STORE_READ_FAILED' | 'STORE_WRITE_FAILED';

	constructor(code: 'STORE_READ_FAILED' | 'STORE_WRITE_FAILED', cause: unknown) {
		super(code === 'STORE_READ_FAILED' ? 'The token store failed to read' : 'The token store failed to write', {cause});
		this.code = code;
	}
}
