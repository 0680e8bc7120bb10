import {invalid, isRecord} from '../utils/validate.js';

/**
 * What identifies one credential, for {@link redisKey}: the tokens one token endpoint issues to one client
 * for one scope (and audience, and user).
 *
 * @example
 * ```ts
 * const parts: RedisKeyParts = { tokenEndpoint: 'https://auth.example.com/oauth/token', clientId: 'orders', scope: 'read write' };
 * ```
 */
export interface RedisKeyParts {
	/** The token endpoint's URL (normalised: `https://AUTH.example.com:443/t` and `https://auth.example.com/t` are one). */
	tokenEndpoint: string | URL;
	/** The OAuth client id. */
	clientId: string;
	/** The requested scope; the order of its space-separated values does not matter. */
	scope?: string | undefined;
	/** The audience or resource the tokens are for, when the token endpoint takes one. */
	audience?: string | undefined;
	/** Whose tokens they are, when a service keeps one record per user (a user id): omit it for the service's own. */
	subject?: string | undefined;
}

const where = 'redisKey';

function optional(name: string, value: unknown): string | undefined {
	if (value !== undefined && typeof value !== 'string') {
		invalid(`${where}: ${name}`, 'a string or undefined', value);
	}
	return value === '' ? undefined : value;
}

/**
 * A record key for {@link redisStore} that names one credential: `<token endpoint>|<client id>` followed by
 * `|scope=…`, `|aud=…` and `|sub=…` when given, each part URI-encoded (so no braces or separators from the
 * values), the scope's values sorted. Readable in `redis-cli`, and stable: every replica that builds it from
 * the same parts shares one record.
 *
 * @throws {TypeError} When `tokenEndpoint` is not an absolute URL, `clientId` is not a non-empty string, or an
 * optional part is not a string.
 * @example
 * ```ts
 * redisKey({ tokenEndpoint: 'https://auth.example.com/oauth/token', clientId: 'orders', scope: 'write read' });
 * // 'https%3A%2F%2Fauth.example.com%2Foauth%2Ftoken|orders|scope=read%20write'
 * ```
 */
export function redisKey(parts: RedisKeyParts): string {
	if (!isRecord(parts)) {
		invalid(where, 'an object with "tokenEndpoint" and "clientId"', parts);
	}
	const {tokenEndpoint, clientId} = parts;
	const endpoint = typeof tokenEndpoint === 'string' || tokenEndpoint instanceof URL ? URL.parse(tokenEndpoint) : null;
	if (endpoint === null) {
		invalid(`${where}: tokenEndpoint`, 'an absolute URL', tokenEndpoint);
	}
	if (typeof clientId !== 'string' || clientId === '') {
		invalid(`${where}: clientId`, 'a non-empty string', clientId);
	}
	const scope = optional('scope', parts.scope)?.split(' ').filter(Boolean).toSorted().join(' ');
	const named: Array<[string, string | undefined]> = [['scope', scope || undefined], ['aud', optional('audience', parts.audience)], ['sub', optional('subject', parts.subject)]];
	return [
		encodeURIComponent(endpoint.href),
		encodeURIComponent(clientId),
		...named.filter((entry): entry is [string, string] => entry[1] !== undefined).map(([name, value]) => `${name}=${encodeURIComponent(value)}`),
	].join('|');
}
