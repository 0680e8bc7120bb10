import type {AuthenticationErrorCode} from '../errors/authentication-error.js';
import type {InFlight} from './hop.js';
import type {SpentRefreshes} from './spent-refreshes.js';

/**
 * Requests whose credentials ky-auth manages and whose final answer was a 401 or 403, with what happened to
 * each (for a 401).
 */
export type ManagedRequests = WeakMap<Request, AuthenticationErrorCode>;

/**
 * What a ky client and everything extended from it record about their requests: their transports write it, the
 * client's hooks read it. A fetch made by createAuthFetch has no hooks and records nothing.
 */
export interface Tracking {
	/**
	 * Each request whose credentials ky-auth manages and whose final response is a 401 or 403, so the
	 * `beforeError` hook can type that error. Only on that path: nothing is recorded per request.
	 */
	managed: ManagedRequests;
	/** Requests that carry credentials while their send is pending (the hooks scrub them on error). */
	inFlight: InFlight;
	/**
	 * The attempts whose refresh is spent: a 401 to one of them (ky's retry of a 503 after the refreshed retry)
	 * is final. The transport adds each request whose 401 it refreshes for, and the failure of its refreshed
	 * retry. Read and written only after a 401.
	 */
	spent: SpentRefreshes;
}
