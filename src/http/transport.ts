import {browserProduction} from '../utils/dev.js';
import {challengesOf} from '../challenge/from-response.js';
import {sessionEnded, type AuthenticationErrorCode} from '../errors/authentication-error.js';
import type {SessionCredentials, TokenGrant} from '../types/credentials.js';
import type {CredentialScheme} from '../types/scheme.js';
import {bounded} from '../utils/bounded.js';
import {discard, sendWith} from './hop.js';
import {walkTo} from './redirect-walk.js';
import {followRedirects} from './redirects.js';
import {replays} from './replays.js';
import type {SchemeRouter} from './routes.js';
import {spentFailure} from './spent-refreshes.js';
import type {Tracking} from './tracking.js';

/** The fetch-shaped function at the heart of both adapters. */
export type Transport = (request: Request, init?: RequestInit) => Promise<Response>;

/** How a transport behaves; a ky client's transports record what its hooks read ({@link Tracking}). */
export interface TransportSettings extends Partial<Tracking> {
	/** The user's fetch; `globalThis.fetch` (looked up per request) when absent. */
	fetch: typeof globalThis.fetch | undefined;
	/** The scheme of each request URL (and of each redirect hop), or none. */
	router: SchemeRouter;
}

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

/** Whether the caller already credentialed `request` the way `scheme` would: then it is sent as it is. */
function carriesOwn(request: Request, scheme: CredentialScheme): boolean {
	for (const name of scheme.headers) {
		if (request.headers.has(name)) {
			return true;
		}
	}
	return scheme.queryParameters !== undefined && scheme.queryParameters.some(name => new URL(request.url).searchParams.has(name));
}

/**
 * Creates the auth layer. For each request it asks the router which scheme (if any) credentials its URL; a
 * scheme that uses the session waits for a usable token, and on a 401 the scheme says what the answer means:
 * final, one refresh shared with every concurrent request then one retry, or one retry without a refresh (a new
 * DPoP nonce). Requests nowhere bound, requests that carry their own credentials, and the session's own refresh
 * requests pass through untouched. A 401 from an origin a redirect led to never touches the session.
 */
export function createTransport(credentials: SessionCredentials, settings: TransportSettings): Transport {
	const {router, inFlight, spent} = settings;
	/** Reports a managed request's final 401 or 403 (a plain function: no closure per request). */
	const final = (request: Request, response: Response, code: AuthenticationErrorCode = 'AUTHENTICATION_FAILED'): Response => {
		if ((response.status === 401 || response.status === 403) && !answeredElsewhere(request, response)) {
			settings.managed?.set(request, code);
		}
		return response;
	};
	/** One hop with `scheme`'s credentials; a scheme that observes sees the response first. */
	const observed = async (send: typeof fetch, request: Request, init: RequestInit | undefined, scheme: CredentialScheme, made: ReturnType<CredentialScheme['credentials']>): Promise<Response> => {
		// Waiting for credentials (a key function, a key store, a signature) ends when the request is aborted.
		const fields = made instanceof Promise ? await bounded(made, {signal: request.signal}) : made;
		const response = await sendWith(send, request, init, fields, inFlight);
		scheme.observe?.(response, request.url);
		return response;
	};
	const hop = (send: typeof fetch, request: Request, init: RequestInit | undefined, scheme: CredentialScheme, grant: TokenGrant | undefined): Promise<Response> => {
		const made = scheme.credentials({method: request.method, url: request.url, grant});
		// The hot path (Bearer: synchronous credentials, nothing to observe) adds no async frame of its own.
		return scheme.observe === undefined && !(made instanceof Promise)
			? sendWith(send, request, init, made, inFlight)
			: observed(send, request, init, scheme, made);
	};
	/** One attempt: a single hop, or hop by hop where the scheme decides credentials per URL. */
	const attempt = (send: typeof fetch, request: Request, init: RequestInit | undefined, scheme: CredentialScheme, grant: TokenGrant | undefined): Promise<Response> => {
		if (!scheme.perHop || request.redirect !== 'follow') {
			return hop(send, request, init, scheme, grant);
		}
		// On the Request itself too: a user's fetch that drops `init` must not follow with the credentials on.
		const manual: RequestInit = {...init, redirect: 'manual'};
		return followRedirects(new Request(request, {redirect: 'manual'}), next => (router(next.url) === scheme ? hop(send, next, manual, scheme, grant) : send(next, manual)), scheme.queryParameters);
	};
	/** After a 401 to `grant`: at most one retry of each kind the scheme asks for (the first attempt was sent). */
	const afterRejection = async (send: typeof fetch, request: Request, init: RequestInit | undefined, scheme: CredentialScheme, first: TokenGrant, rejected: Response, next: () => Request): Promise<Response> => {
		let grant = first;
		let response = rejected;
		// ky's own retry of an attempt that already refreshed (a 503 came back, or the network failed) has no refresh left.
		let refreshed = spent?.has(request) === true;
		let retried = false;
		for (;;) {
			const verdict = scheme.rejected(response, challengesOf(response));
			if (verdict.action === 'retry' && !retried) {
				retried = true;
				// Never across a sign-out or another sign-in: the retry takes the session's token of this epoch now.
				const current = credentials.acquire(request.signal);
				const now = current instanceof Promise ? await current : current;
				if (now.kind !== 'token' || now.epoch !== grant.epoch) {
					return final(request, response, 'SESSION_ENDED');
				}
				grant = now;
			} else if (verdict.action === 'refresh' && !refreshed) {
				refreshed = true;
				spent?.add(request);
				let renewed;
				try {
					renewed = await credentials.rejected(grant, request.signal, verdict.claims === undefined ? undefined : {claims: verdict.claims});
				} catch (error) {
					discard(response);
					throw error;
				}
				if (renewed.kind !== 'token') {
					// `ended`: the refresh ended the session, or it signed out or switched user: never replayed across that.
					return final(request, response, renewed.kind === 'ended' ? 'SESSION_ENDED' : 'AUTHENTICATION_FAILED');
				}
				grant = renewed;
			} else {
				return final(request, response);
			}
			discard(response);
			try {
				response = await attempt(send, next(), init, scheme, grant);
			} catch (error) {
				if (refreshed) {
					spentFailure(error, spent);
				}
				throw error;
			}
			if (response.status !== 401 || answeredElsewhere(request, response)) {
				return final(request, response);
			}
		}
	};
	/** Whether a walk met a redirect this platform hides from scripts (a browser): later walks would learn nothing. */
	let hidesRedirects = false;
	/**
	 * After a 401 that came back at the end of redirects the platform followed: the chain is walked again with the
	 * same token up to the hop that answered. A chain that leaves the origin costs no refresh (the platform drops
	 * the token there, and would drop a new one the same way); one that stays on it refreshes once and retries
	 * that hop. Nothing is sent twice that the refresh-and-retry would not send anyway.
	 */
	const afterRedirected = async (send: typeof fetch, request: Request, init: RequestInit | undefined, scheme: CredentialScheme, grant: TokenGrant, rejected: Response, next: () => Request): Promise<Response> => {
		const manual: RequestInit = {...init, redirect: 'manual'};
		const walk = await walkTo(next(), rejected.url, step => hop(send, step, manual, scheme, grant));
		switch (walk.kind) {
			case 'left':
				return final(request, rejected);
			case 'reached':
				return afterRejection(send, request, init, scheme, grant, rejected, replays(walk.hop));
			case 'answered':
				discard(rejected);
				return walk.response.status === 401
					? afterRejection(send, request, init, scheme, grant, walk.response, next)
					: final(request, walk.response);
			case 'hidden':
				hidesRedirects = true;
				return afterRejection(send, request, init, scheme, grant, rejected, next);
			case 'unclear':
				return afterRejection(send, request, init, scheme, grant, rejected, next);
		}
	};
	return async function authTransport(request, init) {
		const send = settings.fetch ?? globalThis.fetch;
		const scheme = router(request.url);
		if (scheme === undefined || carriesOwn(request, scheme)) {
			return send(request, init);
		}
		if (!scheme.usesSession) {
			return final(request, await attempt(send, request, init, scheme, undefined));
		}
		if (credentials.insideRefresh()) {
			return send(request, init);
		}
		const acquired = credentials.acquire(request.signal);
		const grant = acquired instanceof Promise ? await acquired : acquired;
		if (grant.kind === 'ended') {
			throw sessionEnded(request);
		}
		if (grant.kind === 'none') {
			// Nobody signed in (yet, or since a sign-out): sent without credentials, as a public request is; a 401 says so.
			return final(request, await send(request, init), 'NOT_SIGNED_IN');
		}
		const next = replays(request);
		const response = await attempt(send, next(), init, scheme, grant);
		// A 401 from the origin a redirect led to is about that origin, not this session's token.
		if (response.status !== 401 || answeredElsewhere(request, response)) {
			return final(request, response);
		}
		// Redirected back to this origin: the platform may have dropped the token on the way (A → B → A).
		// A browser hides redirects from scripts: walking the chain there would learn nothing (browserProduction).
		return !browserProduction && response.redirected && !scheme.perHop && !hidesRedirects
			? afterRedirected(send, request, init, scheme, grant, response, next)
			: afterRejection(send, request, init, scheme, grant, response, next);
	};
}
