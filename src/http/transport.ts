import {sessionEnded} from '../errors/authentication-error.js';
import {internalsKey, type InternalSession, type SessionInternals} from '../session/internals.js';
import type {AuthSession} from '../types/session.js';
import {describeValue} from '../utils/describe.js';
import {schemeFor, sendAuthorized, type InFlight} from './authorize.js';
import type {OriginPolicy} from './origins.js';

/** The fetch-shaped function at the heart of both adapters. */
export type Transport = (request: Request, init?: RequestInit) => Promise<Response>;

/** How a transport behaves. */
export interface TransportSettings {
	/** The user's fetch; `globalThis.fetch` (looked up per request) when absent. */
	fetch: typeof globalThis.fetch | undefined;
	policy: OriginPolicy;
	scheme: string | undefined;
	/**
	 * Called with a request whose credentials ky-auth manages when its final response is a 401 or 403,
	 * so the ky client can type that error. Only on that path: nothing is recorded per request.
	 */
	onAuthFailure?: (request: Request) => void;
	/** Tracks requests that carry a token while their send is pending (the ky client scrubs them on error). */
	inFlight?: InFlight;
}

/** The internals of a session made by `createAuthSession`, or a `TypeError`. */
export function internalsOf(where: string, session: AuthSession): SessionInternals {
	const internals = (session as Partial<InternalSession> | null)?.[internalsKey];
	if (!internals) {
		throw new TypeError(`${where}: expected a session made by createAuthSession(), got ${describeValue(session)}`);
	}
	return internals;
}

const ignore = (): void => undefined;

/**
 * Creates the auth layer: attaches credentials to requests for allowed origins, waits for a refresh
 * when the token is expired or rejected, and on a 401 retries the identical request once with the
 * token that replaced the rejected one. Requests elsewhere, requests with their own `Authorization`,
 * and the session's own refresh requests pass through untouched.
 */
export function createTransport(internals: SessionInternals, settings: TransportSettings): Transport {
	/** Reports a managed request's final 401 or 403 (a plain function: no closure per request). */
	const final = (request: Request, response: Response): Response => {
		if (response.status === 401 || response.status === 403) {
			settings.onAuthFailure?.(request);
		}
		return response;
	};
	return async function authTransport(request, init) {
		const send = settings.fetch ?? globalThis.fetch;
		if (!settings.policy(request.url) || request.headers.has('authorization') || internals.insideRefresh()) {
			return send(request, init);
		}
		const acquired = internals.acquire(request.signal);
		const first = acquired instanceof Promise ? await acquired : acquired;
		if (first.kind === 'ended') {
			throw sessionEnded(request);
		}
		if (first.kind === 'none') {
			return final(request, await send(request, init));
		}
		const replay = request.body === null ? request : request.clone();
		const response = await sendAuthorized(send, request, init, `${schemeFor(settings.scheme, first)} ${first.token}`, settings.inFlight);
		if (response.status !== 401) {
			return final(request, response);
		}
		let next;
		try {
			next = await internals.rejected(first.token, request.signal);
		} catch (error) {
			response.body?.cancel().catch(ignore);
			throw error;
		}
		if (next.kind !== 'token') {
			return final(request, response);
		}
		response.body?.cancel().catch(ignore);
		return final(request, await sendAuthorized(send, replay, init, `${schemeFor(settings.scheme, next)} ${next.token}`, settings.inFlight));
	};
}
