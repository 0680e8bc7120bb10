/**
 * The canonical spelling of the schemes sent with a token type in another case (`bearer` → `Bearer`),
 * keyed by the lowercased type. A Map, not an object literal: the type comes from a token response,
 * and `constructor` or `__proto__` must not find `Object.prototype`'s members.
 */
const canonicalSchemes: ReadonlyMap<string, string> = new Map([['bearer', 'Bearer'], ['dpop', 'DPoP']]);

/**
 * The scheme to send: the configured one, else the token's type (canonical case for Bearer and DPoP,
 * verbatim otherwise), else Bearer.
 */
export function schemeFor(configured: string | undefined, acquired: {readonly tokenType: string | undefined}): string {
	if (configured !== undefined) {
		return configured;
	}
	const type = acquired.tokenType;
	if (type === undefined || type === '') {
		return 'Bearer';
	}
	return canonicalSchemes.get(type.toLowerCase()) ?? type;
}

/** Requests that carry a token right now: added just before the send, removed when it settles. */
export type InFlight = Set<Request>;

/**
 * Sends `request` with `Authorization: <scheme> <token>` and removes the header again once the
 * response (or failure) arrives: by then the request has gone out, so the Request object that ky or
 * the caller keeps (and that errors expose) never holds the token. Setting a header in place costs a
 * fraction of copying the Request. A send that is given up before it settles (ky's timeout over a
 * fetch that ignores the abort) is cleaned by {@link scrub} from the client's error hook; `inFlight`
 * is a plain Set (no per-request listener or weak entry, which would cost memory and GC time).
 */
export async function sendAuthorized(
	send: typeof globalThis.fetch,
	request: Request,
	init: RequestInit | undefined,
	authorization: string,
	inFlight?: InFlight,
): Promise<Response> {
	request.headers.set('authorization', authorization);
	inFlight?.add(request);
	try {
		return await send(request, init);
	} finally {
		inFlight?.delete(request);
		request.headers.delete('authorization');
	}
}

/** Removes the token from a request whose send has not settled yet; a no-op for any other request. */
export function scrub(request: Request | undefined, inFlight: InFlight): void {
	if (request !== undefined && inFlight.delete(request)) {
		request.headers.delete('authorization');
	}
}
