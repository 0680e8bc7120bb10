import {claimsChallenge} from '../challenge/claims.js';
import {challengesOf} from '../challenge/from-response.js';
import {stepUpChallenge} from '../challenge/step-up.js';
import {sessionEnded, type AuthenticationErrorCode} from '../errors/authentication-error.js';
import type {SessionCredentials} from '../types/credentials.js';
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
	 * Called with a request whose credentials ky-auth manages when its final response is a 401 or 403, and
	 * what happened to that request (for a 401), so the ky client can type that error. Only on that path:
	 * nothing is recorded per request.
	 */
	onAuthFailure?: (request: Request, code: AuthenticationErrorCode) => void;
	/** Tracks requests that carry a token while their send is pending (the ky client scrubs them on error). */
	inFlight?: InFlight;
}

function isCredentials(value: unknown): value is SessionCredentials {
	const candidate = value as Partial<Record<keyof SessionCredentials, unknown>> | null | undefined;
	return typeof candidate?.acquire === 'function' && typeof candidate.rejected === 'function' && typeof candidate.insideRefresh === 'function';
}

/** The credentials contract of a session (see {@link SessionCredentials}), or a `TypeError`. */
export function credentialsOf(where: string, session: AuthSession): SessionCredentials {
	const credentials = (session as Partial<AuthSession> | null | undefined)?.credentials;
	if (!isCredentials(credentials)) {
		throw new TypeError(`${where}: expected a session made by createAuthSession(), got ${describeValue(session)}`);
	}
	return credentials;
}

const ignore = (): void => undefined;

/** Whether `response` came from another origin than `request` was sent to (a followed cross-origin redirect). */
function answeredElsewhere(request: Request, response: Response): boolean {
	if (!response.redirected || response.url === '') {
		return false;
	}
	try {
		return new URL(response.url).origin !== new URL(request.url).origin;
	} catch {
		return false;
	}
}

/**
 * Creates the auth layer: attaches credentials to requests for allowed origins, waits for a refresh
 * when the token is expired or rejected, and on a 401 retries the identical request once with the
 * token that replaced the rejected one. Requests elsewhere, requests with their own `Authorization`,
 * and the session's own refresh requests pass through untouched.
 */
export function createTransport(credentials: SessionCredentials, settings: TransportSettings): Transport {
	/** Reports a managed request's final 401 or 403 (a plain function: no closure per request). */
	const final = (request: Request, response: Response, code: AuthenticationErrorCode = 'AUTHENTICATION_FAILED'): Response => {
		if (response.status === 401 || response.status === 403) {
			settings.onAuthFailure?.(request, code);
		}
		return response;
	};
	return async function authTransport(request, init) {
		const send = settings.fetch ?? globalThis.fetch;
		if (!settings.policy(request.url) || request.headers.has('authorization') || credentials.insideRefresh()) {
			return send(request, init);
		}
		const acquired = credentials.acquire(request.signal);
		const first = acquired instanceof Promise ? await acquired : acquired;
		if (first.kind === 'ended') {
			throw sessionEnded(request);
		}
		if (first.kind === 'none') {
			// Signed out: a 401 means there is no session to authenticate with.
			return final(request, await send(request, init), 'SESSION_ENDED');
		}
		const replay = request.body === null ? request : request.clone();
		const response = await sendAuthorized(send, request, init, `${schemeFor(settings.scheme, first)} ${first.token}`, settings.inFlight);
		if (response.status !== 401) {
			return final(request, response);
		}
		if (answeredElsewhere(request, response)) {
			// A 401 from the origin a redirect led to is about that origin, not this session's token.
			return response;
		}
		const challenges = challengesOf(response);
		if (stepUpChallenge(challenges)) {
			// RFC 9470 step-up: the token is fine, the user must authenticate again; no refresh can help.
			return final(request, response);
		}
		const claims = claimsChallenge(challenges);
		let next;
		try {
			next = await credentials.rejected(first, request.signal, claims === undefined ? undefined : {claims});
		} catch (error) {
			response.body?.cancel().catch(ignore);
			throw error;
		}
		if (next.kind !== 'token') {
			// `ended`: the refresh ended the session, or it signed out or switched user: never replayed across that.
			return final(request, response, next.kind === 'ended' ? 'SESSION_ENDED' : 'AUTHENTICATION_FAILED');
		}
		response.body?.cancel().catch(ignore);
		return final(request, await sendAuthorized(send, replay, init, `${schemeFor(settings.scheme, next)} ${next.token}`, settings.inFlight));
	};
}
