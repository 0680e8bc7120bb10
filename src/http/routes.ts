import {dev} from '../utils/dev.js';
import {bearer} from '../schemes/bearer.js';
import type {AllowedOrigins} from '../types/client.js';
import type {CredentialScheme, SchemeBinding} from '../types/scheme.js';
import {invalid} from '../utils/validate.js';
import {defaultOriginPolicy, originPolicy, type OriginPolicy, type RequestBases} from './origins.js';

/** The scheme that credentials a request to `url`, or `undefined` for a URL no scheme is bound to. */
export type SchemeRouter = (url: string) => CredentialScheme | undefined;

/** What a client's credentials are decided from. */
export interface RouteSettings {
	/** The origins of the default scheme (`allowedOrigins`); `undefined` for its defaults. */
	allowedOrigins?: AllowedOrigins | undefined;
	/** The default scheme for those origins. */
	scheme?: CredentialScheme | undefined;
	/** `authScheme`: the word for `bearer()` when no `scheme` is given. */
	authScheme?: string | undefined;
	/** Further schemes, each bound to its own origins; they come before the default. */
	schemes?: readonly SchemeBinding[] | undefined;
	bases: RequestBases;
}

interface Route {
	readonly matches: OriginPolicy;
	readonly scheme: CredentialScheme;
}

/**
 * Builds the router: each binding of `schemes` in order, then the default scheme on the allowed origins. The
 * first match wins. With bindings, the default origins may be empty (a client whose every origin has its own
 * scheme); without, that is an error, as before.
 *
 * @throws {TypeError} For an invalid origin list, or when no origin at all would receive credentials.
 */
export function createRouter(where: string, settings: RouteSettings): SchemeRouter {
	const routes: Route[] = (settings.schemes ?? []).map((binding, index) => ({
		matches: originPolicy(`${where}: options.schemes[${index}].origins`, binding.origins),
		scheme: binding.scheme,
	}));
	const defaults = settings.allowedOrigins === undefined
		? defaultOriginPolicy(where, settings.bases, routes.length > 0)
		: originPolicy(`${where}: allowedOrigins`, settings.allowedOrigins);
	if (defaults === undefined && (settings.scheme !== undefined || settings.authScheme !== undefined)) {
		invalid(`${where}: options.scheme`, dev ? 'origins to send it to (pass allowedOrigins, or baseUrl/prefix; the bindings of schemes carry their own)' : '', settings.scheme ?? settings.authScheme);
	}
	if (defaults !== undefined) {
		routes.push({matches: defaults, scheme: settings.scheme ?? bearer(settings.authScheme === undefined ? {} : {scheme: settings.authScheme})});
	}
	if (routes.length === 1) {
		const [only] = routes as [Route];
		return url => (only.matches(url) ? only.scheme : undefined);
	}
	return url => routes.find(route => route.matches(url))?.scheme;
}
