import {dev} from '../utils/dev.js';
import type {Client} from 'oauth4webapi';
import type {DPoPProofs} from '../types/dpop.js';
import {describeValue} from '../utils/describe.js';
import {invalid, isRecord, optionalFunction} from '../utils/validate.js';
import {clientAuthenticationInternals, type ClientAuthenticationInternals} from './client-authentication.js';
import {discoveredLocation, type Locate} from './discovery.js';
import type {OAuthFetch, TokenEndpointOptions} from './options.js';

/** The options of a token request, validated and in oauth4webapi's terms. */
export interface TokenEndpointConfig {
	/**
	 * Where the token endpoint is: the authorization server's metadata (its issuer, the token endpoint URL when
	 * none is configured, and its token endpoint) and the endpoint's URL; discovered from `issuer` when no
	 * `tokenEndpoint` is configured.
	 */
	readonly locate: Locate;
	/**
	 * Whether an `id_token` in a token response is checked (by oauth4webapi): only when `issuer` is configured,
	 * since its `iss` must equal the real issuer identifier. Without one, the ID token is left unchecked and unused.
	 */
	readonly checksIdTokens: boolean;
	/** The client's metadata: its id. */
	readonly client: Client;
	/** How the client authenticates, and its secrets. */
	readonly authentication: ClientAuthenticationInternals;
	/** The request parameters besides the grant's own (scope, audience, resource, extra). */
	readonly parameters: ReadonlyArray<readonly [string, string]>;
	/** Makes the DPoP proof of each token request and sees each answer, when the tokens are to be DPoP-bound. */
	readonly dpop: DPoPProofs | undefined;
	readonly fetch: OAuthFetch | undefined;
	readonly allowInsecureRequests: boolean;
	readonly now: () => number;
}

/** Parameters that the grant, the client authentication or their own option set. */
const reserved = new Set(['grant_type', 'refresh_token', 'client_id', 'client_secret', 'client_assertion', 'client_assertion_type', 'scope', 'audience', 'resource']);

function nonEmptyString(where: string, value: unknown, expected = 'a non-empty string'): string {
	if (typeof value !== 'string' || value === '') {
		invalid(where, expected, value);
	}
	return value;
}

/** A string, or an array of strings, as a list; each checked by `check`. */
function stringList(where: string, value: unknown, expected: string, check: (item: string) => boolean): string[] {
	let items: readonly unknown[];
	if (typeof value === 'string') {
		items = [value];
	} else if (Array.isArray(value)) {
		items = value;
	} else {
		invalid(where, dev ? `${expected}, or an array of them` : '', value);
	}
	return items.map((item, index) => {
		if (typeof item !== 'string' || !check(item)) {
			invalid(typeof value === 'string' ? where : `${where}[${index}]`, expected, item);
		}
		return item;
	});
}

/** An absolute https: URL (http: with `allowInsecureRequests`), without credentials or fragment, or a `TypeError`. */
export function endpointOf(where: string, value: unknown, allowInsecureRequests: boolean): URL {
	const url = value instanceof URL ? new URL(value.href) : (typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined);
	if (url === undefined) {
		invalid(where, dev ? 'an absolute URL (a string or a URL)' : '', value);
	}
	if (url.protocol !== 'https:' && !(allowInsecureRequests && url.protocol === 'http:')) {
		const expected = allowInsecureRequests ? 'an https: or http: URL' : 'an https: URL (or allowInsecureRequests: true for http: in tests)';
		throw new TypeError(`${where}: expected ${expected}, got a ${url.protocol} URL`);
	}
	if (url.username !== '' || url.password !== '') {
		throw new TypeError(`${where}: expected a URL without credentials (use clientAuthentication), got one with a user name or password`);
	}
	if (url.hash !== '') {
		throw new TypeError(`${where}: expected a URL without a fragment, got one with ${describeValue(url.hash)}`);
	}
	return url;
}

function isAbsoluteUriWithoutFragment(value: string): boolean {
	return URL.canParse(value) && !value.includes('#');
}

function scopeOf(where: string, value: unknown): string | undefined {
	if (value === undefined) {
		return undefined;
	}
	if (typeof value === 'string') {
		return value.trim() === '' ? invalid(where, dev ? 'a non-empty, space-separated list of scopes' : '', value) : value;
	}
	const scopes = stringList(where, value, 'a scope (a non-empty string without spaces)', item => /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(item));
	return scopes.length === 0 ? undefined : scopes.join(' ');
}

function extraParameters(where: string, value: unknown): Array<[string, string]> {
	if (value === undefined) {
		return [];
	}
	if (!isRecord(value)) {
		invalid(where, dev ? 'an object of parameter names to a string or an array of strings' : '', value);
	}
	return Object.entries(value).flatMap(([name, entry]): Array<[string, string]> => {
		if (reserved.has(name)) {
			throw new TypeError(`${where}: expected no "${name}" (${name === 'scope' || name === 'audience' || name === 'resource' ? `use the ${name} option` : 'set by the grant or the client authentication'}), got one`);
		}
		return stringList(`${where}.${name}`, entry, 'a string', () => true).map(item => [name, item]);
	});
}

/** Whether `value` has the methods of {@link DPoPProofs} (`dpop()` of `ky-auth/dpop`, or the application's own). */
function isDPoPProofs(value: unknown): value is DPoPProofs {
	return isRecord(value) && typeof value.proof === 'function' && typeof value.observe === 'function' && typeof value.thumbprint === 'function';
}

function dpopOf(where: string, value: unknown): DPoPProofs | undefined {
	if (value !== undefined && !isDPoPProofs(value)) {
		invalid(where, dev ? 'a DPoP proof maker ({proof, observe, thumbprint}: dpop() from ky-auth/dpop)' : '', value);
	}
	return value;
}

/** Validates the options of `where` (`clientCredentials` or `refreshTokenGrant`) eagerly. */
export function readTokenEndpointOptions(where: string, options: TokenEndpointOptions): TokenEndpointConfig {
	if (!isRecord(options)) {
		invalid(`${where}: options`, dev ? 'an object with tokenEndpoint, clientId and clientAuthentication' : '', options);
	}
	const insecure: unknown = options.allowInsecureRequests;
	if (insecure !== undefined && typeof insecure !== 'boolean') {
		invalid(`${where}: options.allowInsecureRequests`, 'a boolean', insecure);
	}
	const allowInsecureRequests = insecure === true;
	if (options.tokenEndpoint === undefined && options.issuer === undefined) {
		invalid(`${where}: options.tokenEndpoint`, dev ? 'the token endpoint\'s URL, or options.issuer alone to discover it from the issuer\'s metadata' : '', undefined);
	}
	let locate: Locate;
	if (options.tokenEndpoint === undefined && options.issuer !== undefined) {
		// Issuer alone: the token endpoint comes from the issuer's metadata (discovery), found once.
		const issuer = endpointOf(`${where}: options.issuer`, options.issuer, allowInsecureRequests);
		locate = discoveredLocation(issuer, {fetch: optionalFunction<OAuthFetch>(`${where}: options.fetch`, options.fetch), allowInsecureRequests});
	} else {
		const endpoint = endpointOf(`${where}: options.tokenEndpoint`, options.tokenEndpoint, allowInsecureRequests);
		const issuer = options.issuer === undefined ? endpoint.href : nonEmptyString(`${where}: options.issuer`, options.issuer, 'the issuer identifier, a non-empty string');
		const located = {server: {issuer, token_endpoint: endpoint.href}, endpoint};
		locate = () => located;
	}
	const clientId = nonEmptyString(`${where}: options.clientId`, options.clientId, 'the client id, a non-empty string');
	const authentication = clientAuthenticationInternals(options.clientAuthentication);
	if (authentication === undefined) {
		invalid(`${where}: options.clientAuthentication`, dev ? 'clientSecretBasic(…), clientSecretPost(…), privateKeyJwt(…) or none()' : '', options.clientAuthentication);
	}
	const parameters: Array<[string, string]> = [];
	const scope = scopeOf(`${where}: options.scope`, options.scope);
	if (scope !== undefined) {
		parameters.push(['scope', scope]);
	}
	if (options.audience !== undefined) {
		for (const audience of stringList(`${where}: options.audience`, options.audience, 'a non-empty string', item => item !== '')) {
			parameters.push(['audience', audience]);
		}
	}
	if (options.resource !== undefined) {
		for (const resource of stringList(`${where}: options.resource`, options.resource, 'an absolute URI without a fragment', isAbsoluteUriWithoutFragment)) {
			parameters.push(['resource', resource]);
		}
	}
	parameters.push(...extraParameters(`${where}: options.parameters`, options.parameters));
	return {
		locate,
		checksIdTokens: options.issuer !== undefined,
		client: {client_id: clientId},
		authentication,
		parameters,
		dpop: dpopOf(`${where}: options.dpop`, options.dpop),
		fetch: optionalFunction<OAuthFetch>(`${where}: options.fetch`, options.fetch),
		allowInsecureRequests,
		now: optionalFunction<() => number>(`${where}: options.now`, options.now) ?? (() => Date.now()),
	};
}
