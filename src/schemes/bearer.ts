import {dev, seeDocs} from '../utils/dev.js';
import type {TokenGrant} from '../types/credentials.js';
import type {CredentialScheme, SchemeAttempt, SchemeCredentials} from '../types/scheme.js';
import {invalid, isRecord} from '../utils/validate.js';
import {httpToken} from './fields.js';
import {tokenVerdict} from './token-challenges.js';

/** Options of {@link bearer}. */
export interface BearerOptions {
	/**
	 * The word before the token, for an API that wants another one (`Token`, `JWT`).
	 * @default the token's `tokenType` (`bearer` is sent as `Bearer`), else `Bearer`
	 */
	scheme?: string | undefined;
}

function wordFor(configured: string | undefined, grant: TokenGrant): string {
	const type = grant.tokenType;
	const lowerCase = type?.toLowerCase();
	if (lowerCase === 'dpop') {
		// A DPoP-bound token without a proof is refused by every DPoP server (RFC 9449 §7.1).
		throw new TypeError(dev ? 'ky-auth: the access token is DPoP-bound (token_type "DPoP"): send it with dpop() from "ky-auth/dpop" for this origin, not as a bearer token' : seeDocs('DPOP_BOUND'));
	}
	// `bearer` in any case is sent in its canonical case.
	return configured ?? (type === undefined || type === '' || lowerCase === 'bearer' ? 'Bearer' : type);
}

/**
 * The session's access token in `Authorization: Bearer <token>` (RFC 6750): the default scheme of a client's
 * allowed origins. A 401 with `invalid_token` (or no challenge) refreshes once and retries once; step-up
 * (`insufficient_user_authentication`) is final; `insufficient_claims` passes its claims to the refresh.
 * A token whose `tokenType` is `DPoP` is refused with a `TypeError`: it needs `dpop()` from `ky-auth/dpop`.
 *
 * @throws {TypeError} When `scheme` is not an HTTP auth scheme token, or names DPoP.
 * @example
 * ```ts
 * const api = createAuthClient(session, { baseUrl: 'https://api.example.com/', scheme: bearer() });
 * ```
 */
export function bearer(options: BearerOptions = {}): CredentialScheme {
	if (!isRecord(options)) {
		invalid('bearer: options', dev ? 'an object' : '', options);
	}
	const configured = options.scheme === undefined ? undefined : httpToken('bearer: options.scheme', options.scheme);
	if (configured?.toLowerCase() === 'dpop') {
		invalid('bearer: options.scheme', dev ? 'a bearer scheme (DPoP needs proofs: use dpop() from "ky-auth/dpop")' : '', configured);
	}
	// The session hands out one grant object per token held: the header is made once per token, not per request.
	let lastGrant: TokenGrant | undefined;
	let lastCredentials: SchemeCredentials = {headers: []};
	return {
		name: 'Bearer',
		usesSession: true,
		headers: ['authorization'],
		// Platforms drop Authorization on a cross-origin redirect (Fetch §4.4), and a same-origin hop may keep it.
		perHop: false,
		credentials({grant}: SchemeAttempt): SchemeCredentials {
			if (grant === undefined) {
				throw new TypeError(dev ? 'bearer: a credential attempt without the session\'s token' : seeDocs('TypeError'));
			}
			if (grant !== lastGrant) {
				lastCredentials = {headers: [['authorization', `${wordFor(configured, grant)} ${grant.token}`]]};
				lastGrant = grant;
			}
			return lastCredentials;
		},
		rejected: (_response, challenges) => tokenVerdict(challenges),
	};
}
