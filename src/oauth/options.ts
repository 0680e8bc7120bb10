import type {DPoPProofs} from '../types/dpop.js';
import type {ClientAuthentication} from './client-authentication.js';

/**
 * The `fetch` token requests go through: called as `fetch(url, init)` is, with `init.redirect` set to
 * `'manual'` (pass it on: a token request must never follow a redirect). Use it for a proxy agent, tracing,
 * or mTLS.
 *
 * @example
 * ```ts
 * const tracedFetch: OAuthFetch = async (url, init) => {
 *   console.log('token request to', url);
 *   return fetch(url, init);
 * };
 * ```
 */
export type OAuthFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Names of extra request parameters: each value is sent once, or once per element of an array. */
export type TokenRequestParameters = Readonly<Record<string, string | readonly string[]>>;

/**
 * What {@link clientCredentials} and {@link refreshTokenGrant} take: where the token endpoint is, who the
 * client is and how it authenticates, and what to ask for. Validated when the function is made: a wrong option
 * throws a `TypeError` at start-up, not at the first request.
 */
export interface TokenEndpointOptions {
	/**
	 * The token endpoint's URL. `https:` unless {@link allowInsecureRequests}; no credentials or fragment in it.
	 * Leave it out and pass {@link issuer} alone to have it discovered.
	 */
	tokenEndpoint?: string | URL | undefined;
	/**
	 * The authorization server's issuer identifier (its metadata's `issuer`): the `aud` of `private_key_jwt`
	 * assertions, and the `iss` an ID token in a token response must carry. With it, an `id_token` in an answer
	 * (an OpenID provider sends one on refresh when `openid` was granted) is checked as OpenID Connect requires
	 * (`iss`, `aud` = `clientId`, `exp`, `iat`, `sub`, an RS256 signature algorithm) and an answer that fails is a
	 * `RefreshError` `REFRESH_FAILED`; the refresh token it rotated is kept all the same. Without it, an ID token is
	 * not checked (ky-auth does not use it): the token endpoint URL is never its `iss`.
	 *
	 * **Alone** (no `tokenEndpoint`): the token endpoint is discovered from the issuer's metadata (OpenID Connect
	 * Discovery, `/.well-known/openid-configuration`, then RFC 8414's `/.well-known/oauth-authorization-server`),
	 * whose `issuer` must be exactly this one. It is fetched once, at the first refresh (a failed lookup is tried
	 * again at the next), and kept for the life of the function. Nothing is spent before the endpoint is known.
	 * @default the token endpoint's URL for assertions (RFC 7523 §3 allows either); ID tokens unchecked
	 */
	issuer?: string | undefined;
	/** The client identifier, as registered at the authorization server. */
	clientId: string;
	/** How the client authenticates: {@link clientSecretBasic}, {@link clientSecretPost}, {@link privateKeyJwt} or {@link none}. */
	clientAuthentication: ClientAuthentication;
	/** The `scope` to ask for: one space-separated string, or one scope per element. */
	scope?: string | readonly string[] | undefined;
	/** `audience` parameter(s), as Auth0 and RFC 8693 token exchange use them: one is sent per element. */
	audience?: string | readonly string[] | undefined;
	/** RFC 8707 resource indicator(s): absolute URIs without a fragment, one `resource` parameter each. */
	resource?: string | readonly string[] | undefined;
	/**
	 * Extra form parameters of the token request. `grant_type`, `refresh_token`, the client's credentials and
	 * the parameters that have their own option (`scope`, `audience`, `resource`) cannot be set here.
	 */
	parameters?: TokenRequestParameters | undefined;
	/**
	 * DPoP (RFC 9449): each token request carries a proof of this key, so the authorization server binds the
	 * tokens it issues to it (`token_type: "DPoP"`). Pass the same `dpop()` of `ky-auth/dpop` that sends the
	 * API requests. A `400 use_dpop_nonce` answer is retried once with the nonce it brought; every answer's
	 * `DPoP-Nonce` and `Date` reach `dpop.observe`. Without it, a DPoP-bound token response is a `ConfigurationError`.
	 *
	 * @example
	 * ```ts
	 * import { dpop } from 'ky-auth/dpop';
	 * import { none, refreshTokenGrant } from 'ky-auth/oauth';
	 *
	 * const scheme = dpop();
	 * const refresh = refreshTokenGrant({ tokenEndpoint: 'https://auth.example.com/oauth/token', clientId: 'web-app', clientAuthentication: none(), dpop: scheme });
	 * ```
	 */
	dpop?: DPoPProofs | undefined;
	/**
	 * The fetch to send token requests with.
	 * @default globalThis.fetch, looked up at each request
	 */
	fetch?: OAuthFetch | undefined;
	/**
	 * Allows an `http:` token endpoint (a loopback server in tests or local development). Never in production:
	 * the client's credentials would travel in clear text.
	 * @default false
	 */
	allowInsecureRequests?: boolean | undefined;
	/**
	 * The clock, in epoch milliseconds: `expiresAt` is this clock's time when the request was sent, plus `expires_in`.
	 * Pass the session's clock when you inject one.
	 * @default () => Date.now()
	 */
	now?: (() => number) | undefined;
}

/**
 * Options of {@link clientCredentials}: those of every token request ({@link TokenEndpointOptions}). The
 * client authentication must be confidential (`none()` is refused: RFC 6749 §4.4).
 *
 * @example
 * ```ts
 * const options: ClientCredentialsOptions = {
 *   tokenEndpoint: 'https://auth.example.com/oauth/token',
 *   clientId: 'reports-service',
 *   clientAuthentication: clientSecretBasic(process.env.CLIENT_SECRET ?? ''),
 *   scope: ['reports:read'],
 * };
 * ```
 */
export type ClientCredentialsOptions = TokenEndpointOptions;

/**
 * Options of {@link refreshTokenGrant}: those of every token request ({@link TokenEndpointOptions}). `scope`
 * narrows the refreshed token's scope (RFC 6749 §6).
 *
 * @example
 * ```ts
 * const options: RefreshTokenGrantOptions = {
 *   tokenEndpoint: 'https://auth.example.com/oauth/token',
 *   clientId: 'web-app',
 *   clientAuthentication: none(),
 * };
 * ```
 */
export type RefreshTokenGrantOptions = TokenEndpointOptions;

/**
 * Options of {@link revokeOnSignOut}: where the revocation endpoint is (`revocationEndpoint`, or `issuer` alone to
 * discover it), and the client, as for the token requests. Validated when the function is made.
 *
 * @example
 * ```ts
 * const options: RevokeOnSignOutOptions = {
 *   issuer: 'https://login.example.com',
 *   clientId: 'web-app',
 *   clientAuthentication: none(),
 *   onError: error => console.warn('revocation failed', error.message),
 * };
 * ```
 */
export interface RevokeOnSignOutOptions {
	/** The revocation endpoint's URL (RFC 7009). `https:` unless {@link allowInsecureRequests}. Leave it out to discover it from {@link issuer}. */
	revocationEndpoint?: string | URL | undefined;
	/**
	 * The issuer identifier. Alone (no `revocationEndpoint`): the endpoint is the `revocation_endpoint` of the
	 * issuer's metadata, looked up once. With `revocationEndpoint`: the `aud` of `private_key_jwt` assertions.
	 * @default the revocation endpoint's URL for assertions
	 */
	issuer?: string | undefined;
	/** The client identifier, as registered at the authorization server. */
	clientId: string;
	/** How the client authenticates: as for its token requests. */
	clientAuthentication: ClientAuthentication;
	/**
	 * The fetch to send revocation (and metadata) requests with.
	 * @default globalThis.fetch, looked up at each request
	 */
	fetch?: OAuthFetch | undefined;
	/**
	 * Allows `http:` endpoints (a loopback server in tests). Never in production.
	 * @default false
	 */
	allowInsecureRequests?: boolean | undefined;
	/**
	 * Told when a revocation failed (the endpoint refused, could not be reached, or took more than 30 s): the
	 * sign-out is done here either way, and the token may stay valid at the server until it expires. The error
	 * holds no token.
	 * @default undefined: failures are dropped
	 */
	onError?: ((error: Error) => void) | undefined;
}
