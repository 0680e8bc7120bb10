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
 * A copy of `request` that carries `Authorization: <scheme> <token>`. The caller's request is never
 * modified, so errors that expose it never expose the token.
 */
export function authorize(request: Request, scheme: string, token: string): Request {
	const headers = new Headers(request.headers);
	headers.set('authorization', `${scheme} ${token}`);
	return new Request(request, {headers});
}
