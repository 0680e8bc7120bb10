import type {Options} from 'ky';
import type {CredentialScheme, SchemeBinding} from './scheme.js';

/**
 * Which origins receive credentials: a list of origins (strings or URLs; only their origin counts)
 * or a predicate over the request URL.
 */
export type AllowedOrigins = ReadonlyArray<string | URL> | ((url: URL) => boolean);

/** Options shared by {@link createAuthClient} and {@link createAuthFetch}. */
export interface AuthTransportOptions {
	/**
	 * Origins that receive the session's token (with {@link AuthTransportOptions.scheme}). Requests elsewhere go
	 * out untouched (unless a binding of {@link AuthTransportOptions.schemes} covers them) and their 401s never
	 * trigger a refresh.
	 * @default the origin of `baseUrl`/`prefix` when given, plus `location.origin` in a browser
	 * @example
	 * ```ts
	 * allowedOrigins: ['https://api.example.com', new URL('https://files.example.com')]
	 * ```
	 */
	allowedOrigins?: AllowedOrigins;
	/**
	 * The word before a bearer token, for an API that wants another one: short for `scheme: bearer({scheme})`.
	 * `DPoP` is refused: a DPoP-bound token needs a proof per request (`scheme: dpop()` from `ky-auth/dpop`).
	 * @default the token's `tokenType`, else `Bearer`
	 * @example
	 * ```ts
	 * authScheme: 'Token'
	 * ```
	 */
	authScheme?: string;
	/**
	 * How requests to {@link AuthTransportOptions.allowedOrigins} carry the session's token: `bearer()` or
	 * `dpop()` from `ky-auth/dpop`.
	 * @default bearer()
	 * @example
	 * ```ts
	 * scheme: bearer()
	 * ```
	 */
	scheme?: CredentialScheme;
	/**
	 * Further origins, each with its own scheme (`basic()`, `apiKey()`, `bearer()`, `dpop()`): one client may
	 * send different credentials to different origins. Bindings are tried in order before the allowed origins;
	 * the first match wins. Every redirect hop is matched anew.
	 * @default []
	 * @example
	 * ```ts
	 * schemes: [
	 * 	{origins: ['https://legacy.example.com'], scheme: basic({username: 'reports', password: 'secret'})},
	 * 	{origins: ['https://maps.example.com'], scheme: apiKey({header: 'X-API-Key', key: 'k-123'})},
	 * ]
	 * ```
	 */
	schemes?: readonly SchemeBinding[];
	/**
	 * The transport underneath ky-auth.
	 * @default globalThis.fetch
	 */
	fetch?: typeof globalThis.fetch;
}

/**
 * Options of {@link createAuthClient}: every ky option, plus {@link AuthTransportOptions}.
 *
 * @example
 * ```ts
 * const api = createAuthClient(session, { baseUrl: 'https://api.example.com/', timeout: 5000 });
 * ```
 */
export type AuthClientOptions = Options & AuthTransportOptions;

/**
 * Options of {@link createAuthFetch}.
 *
 * @example
 * ```ts
 * const authFetch = createAuthFetch(session, { allowedOrigins: ['https://api.example.com'] });
 * ```
 */
export interface AuthFetchOptions extends AuthTransportOptions {
	/**
	 * Base URL whose origin is allowed by default (it does not rewrite request URLs).
	 * @default undefined
	 */
	baseUrl?: string | URL;
}
