import type {Challenge} from '../challenge/challenge.js';
import type {TokenGrant} from './credentials.js';

/** One hop of one attempt to send a request: what a scheme makes credentials for. */
export interface SchemeAttempt {
	/** The request method, upper case (`GET`, `POST`). */
	readonly method: string;
	/** The URL this hop goes to; a redirect's next hop is an attempt of its own. */
	readonly url: string;
	/** The session's token, for a scheme with `usesSession`; `undefined` for the others. */
	readonly grant: TokenGrant | undefined;
}

/** A header or query parameter: `[name, value]`. */
export type SchemeField = readonly [name: string, value: string];

/** What one hop carries: headers, and query parameters where an API demands them. */
export interface SchemeCredentials {
	/** Headers to set (replaced if the request had them), removed again once the send settles. */
	readonly headers: readonly SchemeField[];
	/** Query parameters to add to the URL of this hop only; redacted from every error message and URL ky-auth exposes. */
	readonly query?: readonly SchemeField[] | undefined;
}

/**
 * What a 401 to a credentialed attempt leads to:
 * - `final`: the answer stands (an `AuthenticationError`, or `StepUpRequiredError` for an RFC 9470 challenge);
 * - `refresh`: the token was rejected: one refresh shared with every concurrent request, then one retry
 *   (`claims` from an `insufficient_claims` challenge reach the refresh);
 * - `retry`: one retry without a refresh (a new DPoP nonce arrived with the 401).
 */
export type SchemeVerdict =
	| {readonly action: 'final'}
	| {readonly action: 'refresh'; readonly claims?: string | undefined}
	| {readonly action: 'retry'};

/**
 * How requests to an origin are credentialed: Bearer and DPoP send the session's token, Basic and API keys
 * send fixed credentials. One interface for all of them, so the transport decides nothing per scheme:
 * it asks the scheme for credentials per hop, shows it every response, and asks it what a 401 means.
 *
 * Made by `bearer()`, `basic()`, `apiKey()` (root entry) and `dpop()` (`ky-auth/dpop`); bound to origins with
 * the client's `scheme` and `schemes` options.
 *
 * @example
 * ```ts
 * const api = createAuthClient(session, {
 * 	baseUrl: 'https://api.example.com/',
 * 	schemes: [{origins: ['https://maps.example.com'], scheme: apiKey({header: 'X-API-Key', key: 'k-123'})}],
 * });
 * ```
 */
export interface CredentialScheme {
	/** The scheme's name in messages: `Bearer`, `DPoP`, `Basic`, `API key`. */
	readonly name: string;
	/** Whether it sends the session's access token (and so a 401 may be cured by a refresh). */
	readonly usesSession: boolean;
	/** The headers it sets, lowercased. A request that already carries one of them is sent untouched. */
	readonly headers: readonly string[];
	/**
	 * Whether ky-auth follows redirects itself, deciding each hop's credentials anew: needed where the
	 * platform would forward a credential to another origin (any header but `Authorization`, a query
	 * parameter) or where credentials depend on the URL (a DPoP proof's `htu`).
	 */
	readonly perHop: boolean;
	/** The credentials of one hop. May be asynchronous (a DPoP proof is signed). */
	credentials(attempt: SchemeAttempt): SchemeCredentials | Promise<SchemeCredentials>;
	/** Sees every response to a credentialed hop, before anything else reads it (nonces, the server's clock). */
	observe?(response: Response, url: string): void;
	/** What a 401 to a credentialed attempt means (its response from the origin the request was sent to). */
	rejected(response: Response, challenges: readonly Challenge[]): SchemeVerdict;
	/** Query parameter names it may set, so their values are redacted wherever a URL is shown. */
	readonly queryParameters?: readonly string[];
}

/** Binds a scheme to the origins it credentials. */
export interface SchemeBinding {
	/** The origins (or a predicate over request URLs) that receive this scheme's credentials. */
	readonly origins: ReadonlyArray<string | URL> | ((url: URL) => boolean);
	/** The scheme: `bearer()`, `basic()`, `apiKey()` or `dpop()`. */
	readonly scheme: CredentialScheme;
}
