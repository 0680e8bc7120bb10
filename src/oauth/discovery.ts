import {allowInsecureRequests, customFetch, discoveryRequest, processDiscoveryResponse, type AuthorizationServer} from 'oauth4webapi';
import {ConfigurationError, RefreshError} from '../errors/refresh-error.js';
import {redactError} from '../redact/redact.js';
import {bounded} from '../utils/bounded.js';
import type {OAuthFetch} from './options.js';
import {endpointName, safeText} from './safe-text.js';

/** How long one metadata request may take, whoever waits for it. */
const discoveryTimeout = 30_000;

/** Where the token endpoint is: the server's metadata (its issuer and endpoints) and the token endpoint's URL. */
export interface Located {
	readonly server: AuthorizationServer;
	readonly endpoint: URL;
}

/** Finds the token endpoint; `signal` ends the caller's wait (not a lookup others share). */
export type Locate = (signal: AbortSignal) => Located | Promise<Located>;

interface DiscoveryOptions {
	readonly fetch: OAuthFetch | undefined;
	readonly allowInsecureRequests: boolean;
}

async function fetchMetadata(issuer: URL, algorithm: 'oidc' | 'oauth2', options: DiscoveryOptions): Promise<Response> {
	return discoveryRequest(issuer, {
		algorithm,
		signal: AbortSignal.timeout(discoveryTimeout),
		[customFetch]: async (url: string, init: RequestInit) => (options.fetch ?? globalThis.fetch)(url, init),
		[allowInsecureRequests]: options.allowInsecureRequests,
	});
}

/**
 * The authorization server's metadata from its issuer identifier: OpenID Connect Discovery
 * (`/.well-known/openid-configuration`), then RFC 8414 (`/.well-known/oauth-authorization-server`) when the
 * first answers 404. oauth4webapi checks that the metadata's `issuer` is exactly `issuer`.
 */
async function discover(issuer: URL, options: DiscoveryOptions): Promise<Located> {
	let response: Response;
	try {
		response = await fetchMetadata(issuer, 'oidc', options);
		if (response.status === 404) {
			await response.body?.cancel();
			response = await fetchMetadata(issuer, 'oauth2', options);
		}
	} catch (error) {
		throw new RefreshError('REFRESH_FAILED', {cause: redactError(error, []), detail: `the metadata of the issuer ${safeText(endpointName(issuer), [])} could not be fetched`});
	}
	if (response.status === 429 || response.status >= 500) {
		await response.body?.cancel();
		throw new RefreshError('REFRESH_FAILED', {detail: `the issuer's metadata answered HTTP ${response.status}`, status: response.status});
	}
	let server: AuthorizationServer;
	try {
		server = await processDiscoveryResponse(issuer, response);
	} catch (error) {
		// A wrong issuer, a metadata document for another issuer, or no metadata at all: a configuration to fix.
		throw new ConfigurationError({cause: redactError(error, []), detail: `the issuer's metadata was refused (issuer ${safeText(endpointName(issuer), [])})`, status: response.status});
	}
	if (typeof server.token_endpoint !== 'string' || !URL.canParse(server.token_endpoint)) {
		throw new ConfigurationError({detail: 'the issuer\'s metadata has no token_endpoint'});
	}
	const endpoint = new URL(server.token_endpoint);
	if (endpoint.protocol !== 'https:' && !(options.allowInsecureRequests && endpoint.protocol === 'http:')) {
		throw new ConfigurationError({detail: `the issuer's token_endpoint is not https: (${endpoint.protocol})`});
	}
	return {server, endpoint};
}

/**
 * Finds the token endpoint from `issuer` once, for every refresh of this function: the first call fetches the
 * metadata, every call meanwhile waits for that same lookup, later calls get it at once. A lookup that failed is
 * not kept: the next refresh tries again. The metadata request is bounded (30 s) whoever waits for it.
 */
export function discoveredLocation(issuer: URL, options: DiscoveryOptions): Locate {
	let found: Located | undefined;
	let pending: Promise<Located> | undefined;
	return signal => {
		if (found !== undefined) {
			return found;
		}
		pending ??= discover(issuer, options).then(
			located => {
				found = located;
				return located;
			},
			(error: unknown) => {
				pending = undefined;
				throw error;
			},
		);
		return bounded(pending, {signal});
	};
}
