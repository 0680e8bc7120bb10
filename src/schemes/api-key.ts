import {dev} from '../utils/dev.js';
import type {CredentialScheme, SchemeCredentials, SchemeField} from '../types/scheme.js';
import {invalid, invalidSecret, isRecord} from '../utils/validate.js';
import {httpToken, isHeaderSafe, readSecret, secretSource, type SecretSource} from './fields.js';

/** Options of {@link apiKey}: exactly one of `header` and `query`. */
export interface ApiKeyOptions {
	/** The key, or a function giving it (called for every request, so a rotated key is read anew). */
	key: SecretSource;
	/** The header that carries the key, such as `X-API-Key`. */
	header?: string | undefined;
	/**
	 * The query parameter that carries the key, only for an API that demands it: URLs end up in logs, caches and
	 * `Referer`s. ky-auth adds it to the URL of the hop it sends and redacts it from every URL and message it shows.
	 */
	query?: string | undefined;
	/**
	 * Text before the key in the header, for APIs such as `Authorization: Api-Key <key>`.
	 * @default ''
	 */
	prefix?: string | undefined;
}

const final = {action: 'final'} as const;

function field(name: string, prefix: string, key: string): SchemeField {
	if (!isHeaderSafe(key)) {
		invalidSecret('apiKey: options.key', dev ? 'a key of visible characters without surrounding spaces' : '', key);
	}
	return [name, `${prefix}${key}`];
}

/**
 * An API key in a named header (or, where an API demands it, a query parameter) on the origins it is bound to.
 * It does not use the session: a 401 is final, a 403 a `PermissionError`. ky-auth follows redirects itself for
 * it (where the platform lets a script see them) and sends the key again only to a hop on the origins it is bound
 * to: platforms forward custom headers such as `X-API-Key` to any origin a redirect leads to.
 *
 * @throws {TypeError} When neither or both of `header` and `query` are given, a name is not an HTTP token, or the key is not a non-empty string or function.
 * @example
 * ```ts
 * const maps = createAuthClient(session, {
 * 	schemes: [{origins: ['https://maps.example.com'], scheme: apiKey({header: 'X-API-Key', key: 'k-123'})}],
 * });
 * ```
 */
export function apiKey(options: ApiKeyOptions): CredentialScheme {
	if (!isRecord(options)) {
		invalidSecret('apiKey: options', dev ? 'an object with key and header (or query)' : '', options);
	}
	const key = secretSource('apiKey: options.key', options.key);
	if ((options.header === undefined) === (options.query === undefined)) {
		invalid('apiKey: options', dev ? 'exactly one of header and query' : '', options);
	}
	const prefix = options.prefix ?? '';
	if (typeof prefix !== 'string' || !/^[\x20-\x7E]*$/.test(prefix) || (prefix !== '' && options.header === undefined)) {
		invalid('apiKey: options.prefix', dev ? 'a string of visible characters, with header' : '', prefix);
	}
	const header = options.header === undefined ? undefined : httpToken('apiKey: options.header', options.header, dev ? 'a header name such as "X-API-Key"' : '').toLowerCase();
	const query = options.query === undefined ? undefined : httpToken('apiKey: options.query', options.query, dev ? 'a query parameter name such as "api_key"' : '');
	const make = (value: string): SchemeCredentials => header === undefined
		? {headers: [], query: [[query ?? '', value]]}
		: {headers: [field(header, prefix, value)]};
	const fixed = typeof key === 'string' ? make(key) : undefined;
	return {
		name: 'API key',
		usesSession: false,
		headers: header === undefined ? [] : [header],
		...(query === undefined ? {} : {queryParameters: [query]}),
		// Authorization alone is dropped by the platform on a cross-origin redirect; any other place is not.
		perHop: header !== 'authorization',
		credentials: () => fixed ?? readSecret('apiKey: options.key', key).then(make),
		rejected: () => final,
	};
}
