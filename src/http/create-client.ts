import {dev} from '../utils/dev.js';
import ky, {type Hooks, type Input, type KyInstance, type Options} from 'ky';
import type {AuthSession} from '../types/session.js';
import type {AuthClientOptions} from '../types/client.js';
import {invalid, isRecord} from '../utils/validate.js';
import {beforeRetry, guardRetry, typedErrors} from './ky-hooks.js';
import type {RequestBases} from './origins.js';
import {createRouter} from './routes.js';
import {credentialsOf} from './credentials-of.js';
import type {Tracking} from './tracking.js';
import {createTransport} from './transport.js';
import {validateTransportOptions, type TransportOptions} from './transport-options.js';

/** What a client's auth layer is built from; `.extend()` derives a new one (an option not given is its parent's). */
interface ClientAuth extends Partial<TransportOptions> {
	bases: RequestBases;
}

const where = 'createAuthClient';

/** ky's `fetch` option. */
type KyFetch = (input: Input, init?: RequestInit) => Promise<Response>;

/**
 * Creates a ky instance that handles credentials: it attaches each origin's credentials (the session's token for
 * allowed origins), refreshes once per storm, retries a request once after a 401 that a refresh can cure (and,
 * with DPoP, once more for a new nonce or clock), bodies intact whatever the `retry` settings, and throws
 * {@link AuthenticationError} / {@link PermissionError}.
 * `.extend()` keeps the auth behaviour.
 *
 * @param session - A session from {@link createAuthSession}.
 * @param options - ky's options plus `allowedOrigins`, `scheme`, `schemes` and `authScheme`; `fetch` is the transport underneath.
 * @throws {TypeError} When the session or an option is invalid, or no origin would be allowed.
 * @example
 * ```ts
 * const api = createAuthClient(session, { baseUrl: 'https://api.example.com/' });
 * const me = await api.get('me').json();
 * ```
 */
export function createAuthClient(session: AuthSession, options: AuthClientOptions = {}): KyInstance {
	const credentials = credentialsOf(where, session);
	if (!isRecord(options)) {
		invalid(`${where}: options`, dev ? 'an object of ky options' : '', options);
	}
	const tracking: Tracking = {managed: new WeakMap(), inFlight: new Map(), spent: new WeakSet()};
	const transports = new WeakSet<KyFetch>();
	/** The auth of a client made with `options` over `parent`'s, and its ky options: the auth layer as ky's `fetch`. */
	const derive = (parent: ClientAuth, options: AuthClientOptions): [ClientAuth, Options] => {
		const {fetch, allowedOrigins, authScheme, scheme, schemes} = validateTransportOptions(where, options);
		// A child's scheme replaces its parent's scheme and authScheme alike.
		const ownScheme = scheme !== undefined || authScheme !== undefined;
		const auth: ClientAuth = {
			// The parent's options handed to a function given to extend() hold the parent's own transport: not a user's fetch.
			fetch: fetch !== undefined && !transports.has(fetch as KyFetch) ? fetch : parent.fetch,
			allowedOrigins: allowedOrigins ?? parent.allowedOrigins,
			authScheme: ownScheme ? authScheme : parent.authScheme,
			scheme: ownScheme ? scheme : parent.scheme,
			schemes: schemes ?? parent.schemes,
			bases: {baseUrl: options.baseUrl ?? parent.bases.baseUrl, prefix: options.prefix ?? parent.bases.prefix},
		};
		const transport = createTransport(credentials, {...tracking, fetch: auth.fetch, router: createRouter(where, auth)});
		// Not async: one promise fewer per request. ky awaits it inside its own try, so a throw is still a rejection.
		const kyFetch: KyFetch = (input, init) => transport(input instanceof Request ? input : new Request(input, init), init);
		transports.add(kyFetch);
		const {allowedOrigins: _allowed, authScheme: _authScheme, scheme: _scheme, schemes: _schemes, ...kyOptions} = options;
		kyOptions.fetch = kyFetch;
		// ky's default retry never retries a 401, a 403 or ky-auth's own errors: `retry` is guarded only when given.
		if (kyOptions.retry !== undefined) {
			kyOptions.retry = guardRetry(kyOptions.retry, tracking);
		}
		return [auth, kyOptions];
	};
	/** `instance`, whose `extend()` derives the child's auth from `auth` and keeps the auth behaviour. */
	const withAuthExtend = (instance: KyInstance, auth: ClientAuth): KyInstance => {
		const extend = instance.extend.bind(instance);
		instance.extend = (defaults => {
			let childAuth = auth;
			const rewrite = (options: unknown): Options => {
				if (options !== undefined && !isRecord(options)) {
					invalid(`${where}: extend()`, dev ? 'an object of options or a function returning one' : '', options);
				}
				const [derived, kyOptions] = derive(auth, (options ?? {}) as AuthClientOptions);
				childAuth = derived;
				return kyOptions;
			};
			const child = typeof defaults === 'function'
				? extend(parent => rewrite(defaults(parent)))
				: extend(rewrite(defaults));
			return withAuthExtend(child, childAuth);
		}) as KyInstance['extend'];
		return instance;
	};
	const [auth, kyOptions] = derive({bases: {}}, options);
	const hooks = options.hooks as Hooks | undefined;
	return withAuthExtend(ky.create({
		...kyOptions,
		hooks: {
			...hooks,
			beforeRetry: [beforeRetry(tracking), ...(hooks?.beforeRetry ?? [])],
			beforeError: [typedErrors(tracking), ...(hooks?.beforeError ?? [])],
		},
	}), auth);
}
