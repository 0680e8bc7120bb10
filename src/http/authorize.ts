import type {Acquired} from '../session/internals.js';

const canonicalSchemes: Record<string, string> = {bearer: 'Bearer', dpop: 'DPoP'};

/** The scheme to send: the configured one, else the token's type (canonical case), else Bearer. */
export function schemeFor(configured: string | undefined, acquired: Acquired & {kind: 'token'}): string {
	if (configured !== undefined) {
		return configured;
	}
	const type = acquired.tokenType;
	if (type === undefined || type === '') {
		return 'Bearer';
	}
	return canonicalSchemes[type.toLowerCase()] ?? type;
}

/**
 * Sends `request` with `Authorization: <scheme> <token>` and removes the header again once the
 * response (or failure, or an abort) arrives: by then the request has gone out, so the Request object that ky or
 * the caller keeps (and that errors expose) never holds the token. Setting a header in place costs a
 * fraction of copying the Request.
 */
export async function sendAuthorized(
	send: typeof globalThis.fetch,
	request: Request,
	init: RequestInit | undefined,
	authorization: string,
): Promise<Response> {
	const clear = (): void => {
		request.headers.delete('authorization');
	};
	request.headers.set('authorization', authorization);
	// An abort (ky's timeout) hands the request back before a fetch that ignores its signal settles.
	// The listener is not removed afterwards: removing one costs more than the rest of this function,
	// a request's signal is its own (never the caller's), and a late abort only deletes a deleted header.
	request.signal.addEventListener('abort', clear, {once: true});
	try {
		return await send(request, init);
	} finally {
		clear();
	}
}
