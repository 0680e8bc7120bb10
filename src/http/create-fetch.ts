import type {AuthSession} from '../types/session.js';
import type {AuthFetchOptions} from '../types/client.js';
import {invalid, isRecord} from '../utils/validate.js';
import {createRouter} from './routes.js';
import {credentialsOf} from './credentials-of.js';
import {createTransport} from './transport.js';
import {validateTransportOptions} from './transport-options.js';

const where = 'createAuthFetch';

const requestInitKeys = new Set(['method', 'headers', 'body', 'referrer', 'referrerPolicy', 'mode', 'credentials', 'cache',
	'redirect', 'integrity', 'keepalive', 'signal', 'window', 'duplex', 'priority']);

/** The runtime-specific init fields (such as undici's `dispatcher`) a Request does not keep; own keys only, copied as data (a "__proto__" key stays a key). */
function extraInit(init: RequestInit | undefined): RequestInit | undefined {
	if (!init) {
		return undefined;
	}
	const extra = Object.entries(init).filter(([key]) => !requestInitKeys.has(key));
	return extra.length === 0 ? undefined : Object.fromEntries(extra) as RequestInit;
}

/**
 * Creates a drop-in `fetch` with ky-auth's behaviour, for libraries that take one (openapi-fetch,
 * GraphQL clients). Fetch semantics: it never throws for an HTTP status and returns the final
 * response (after at most one refresh and one retry on 401). It rejects with `RefreshError` when
 * the refresh fails, `AuthenticationError` (`SESSION_ENDED`) when the session ended while the
 * request waited, and the abort reason when the caller's signal fires.
 *
 * @throws {TypeError} When the session or an option is invalid, or no origin would be allowed.
 * @example
 * ```ts
 * const authFetch = createAuthFetch(session, { allowedOrigins: ['https://api.example.com'] });
 * const client = createClient<paths>({ baseUrl: 'https://api.example.com', fetch: authFetch });
 * ```
 */
export function createAuthFetch(session: AuthSession, options: AuthFetchOptions = {}): typeof globalThis.fetch {
	const credentials = credentialsOf(where, session);
	if (!isRecord(options)) {
		invalid(`${where}: options`, 'an object', options);
	}
	const {fetch, ...routes} = validateTransportOptions(where, options);
	const transport = createTransport(credentials, {fetch, router: createRouter(where, {...routes, bases: {baseUrl: options.baseUrl}})});
	return async (input, init) => transport(new Request(input, init), extraInit(init));
}
