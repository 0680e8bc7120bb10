import {sessionEnded} from '../errors/authentication-error.js';
import {internalsKey, type InternalSession, type SessionInternals} from '../session/internals.js';
import type {AuthSession} from '../types/session.js';
import {describeValue} from '../utils/describe.js';
import {schemeFor, sendAuthorized} from './authorize.js';
import type {OriginPolicy} from './origins.js';

/** The fetch-shaped function at the heart of both adapters. */
export type Transport = (request: Request, init?: RequestInit) => Promise<Response>;

/** How a transport behaves. */
export interface TransportSettings {
	/** The user's fetch; `globalThis.fetch` (looked up per request) when absent. */
	fetch: typeof globalThis.fetch | undefined;
	policy: OriginPolicy;
	scheme: string | undefined;
	/** Called with every request whose credentials ky-auth manages (to type its 401/403 later). */
	onManaged?: (request: Request) => void;
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
	return async function authTransport(request, init) {
		const send = settings.fetch ?? globalThis.fetch;
		if (!settings.policy(request.url) || request.headers.has('authorization') || internals.insideRefresh()) {
			return send(request, init);
		}
		settings.onManaged?.(request);
		const first = await internals.acquire(request.signal);
		if (first.kind === 'ended') {
			throw sessionEnded(request);
		}
		if (first.kind === 'none') {
			return send(request, init);
		}
		const replay = request.body === null ? request : request.clone();
		const response = await sendAuthorized(send, request, init, `${schemeFor(settings.scheme, first)} ${first.token}`);
		if (response.status !== 401) {
			return response;
		}
		let next;
		try {
			next = await internals.rejected(first.token, request.signal);
		} catch (error) {
			response.body?.cancel().catch(ignore);
			throw error;
		}
		if (next.kind !== 'token') {
			return response;
		}
		response.body?.cancel().catch(ignore);
		return sendAuthorized(send, replay, init, `${schemeFor(settings.scheme, next)} ${next.token}`);
	};
}
