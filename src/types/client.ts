import type {Options} from 'ky';

/**
 * Which origins receive credentials: a list of origins (strings or URLs; only their origin counts)
 * or a predicate over the request URL.
 */
export type AllowedOrigins = ReadonlyArray<string | URL> | ((url: URL) => boolean);

/** Options shared by {@link createAuthClient} and {@link createAuthFetch}. */
export interface AuthTransportOptions {
	/**
	 * Origins that receive the `Authorization` header. Requests elsewhere go out untouched and
	 * their 401s never trigger a refresh.
	 * @default the origin of `baseUrl`/`prefix` when given, plus `location.origin` in a browser
	 * @example
	 * ```ts
	 * allowedOrigins: ['https://api.example.com', new URL('https://files.example.com')]
	 * ```
	 */
	allowedOrigins?: AllowedOrigins;
	/**
	 * Authorization scheme.
	 * @default the token's `tokenType`, else `Bearer`
	 * @example
	 * ```ts
	 * authScheme: 'DPoP'
	 * ```
	 */
	authScheme?: string;
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
