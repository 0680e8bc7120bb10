/**
 * The attempts of ky calls whose one refresh ky-auth has already spent: the Request each attempt was sent as,
 * and the failure its refreshed retry met on the way (a network error ky wraps). ky sends each of its own
 * retries (a 503, a network error) as another Request; {@link carrySpentRefresh} adds that one before it goes
 * out, so its 401 is final instead of costing a second refresh. Shared by a client and everything extended
 * from it; weak, nothing kept per request on the path without a 401.
 */
export interface SpentRefreshes {
	/** Whether `value` was added: never for a value that is not an object (a `WeakSet`'s answer). */
	has(value: unknown): boolean;
	/** Marks an attempt (a Request) or a failure (a thrown object) as spent. */
	add(value: object): unknown;
}

function isObject(value: unknown): value is object {
	return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** Whether `error` (what ky retries) ends an attempt whose refresh was spent. */
function endsSpentAttempt(error: unknown, spent: SpentRefreshes): boolean {
	if (!isObject(error)) {
		return false;
	}
	// An HTTPError (a 503 after the refreshed retry) holds the Request that was sent; a NetworkError holds ky's
	// next copy instead, and the send's own failure as its cause.
	return ('request' in error && spent.has(error.request)) || ('cause' in error && spent.has(error.cause));
}

/**
 * For ky's `beforeRetry`: ky's retry (`request`) of an attempt whose refresh was spent, which ended with `error`, is
 * spent too, so a 401 to it is final. Runs only when ky retries.
 */
export function carrySpentRefresh(request: Request, error: unknown, spent: SpentRefreshes): void {
	if (endsSpentAttempt(error, spent)) {
		spent.add(request);
	}
}

/** Records that the refreshed retry of a spent attempt failed with `error` (a thrown value ky may retry). */
export function spentFailure(error: unknown, spent: SpentRefreshes | undefined): void {
	if (spent !== undefined && isObject(error)) {
		spent.add(error);
	}
}
