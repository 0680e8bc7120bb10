import {dev} from '../utils/dev.js';
import type {AllowedOrigins} from '../types/client.js';
import {invalid} from '../utils/validate.js';

/** Decides from a request's (serialised) URL whether it may carry credentials. */
export type OriginPolicy = (url: string) => boolean;

function originOf(where: string, value: unknown, base?: string): string {
	if (typeof value !== 'string' && !(value instanceof URL)) {
		invalid(where, dev ? 'a string or URL' : '', value);
	}
	let url: URL;
	try {
		url = new URL(value, base);
	} catch {
		return invalid(where, dev ? 'an absolute URL' : '', value);
	}
	if (url.origin === 'null') {
		invalid(where, dev ? 'an http(s) URL with an origin' : '', value);
	}
	return url.origin;
}

/** The origin part of a serialised URL (`scheme://host[:port]`), or '' when it has none. */
function originPrefix(url: string): string {
	const hostStart = url.indexOf('//');
	if (hostStart === -1) {
		return '';
	}
	const pathStart = url.indexOf('/', hostStart + 2);
	return pathStart === -1 ? url : url.slice(0, pathStart);
}

/** The page's location in a browser, `undefined` elsewhere. */
function page(): {origin: string; href: string} | undefined {
	const location = (globalThis as {location?: {origin?: unknown; href?: unknown}}).location;
	return typeof location?.origin === 'string' && location.origin !== 'null' && typeof location.href === 'string'
		? {origin: location.origin, href: location.href}
		: undefined;
}

/** Where requests go by default: ky's `baseUrl` and `prefix` (a relative prefix resolves against `baseUrl`). */
export interface RequestBases {
	baseUrl?: unknown;
	prefix?: unknown;
}

/** A policy over `origins`; none at all is a `TypeError` naming `name` (`given` is what the caller passed). */
function listed(name: string, origins: Set<string>, given: unknown): OriginPolicy {
	if (origins.size === 0) {
		invalid(name, dev ? 'at least one origin (pass allowedOrigins, or baseUrl/prefix; outside a browser there is no page origin to default to)' : '', given);
	}
	return url => origins.has(originPrefix(url));
}

/**
 * The policy of an origins option (`allowedOrigins`, a binding's `origins`, already known to be an array or a
 * function): the predicate, or the origins listed, each entry named `name[index]` in messages.
 *
 * @throws {TypeError} For an entry that is not an http(s) URL, or an empty list.
 */
export function originPolicy(name: string, allowed: AllowedOrigins): OriginPolicy {
	if (typeof allowed === 'function') {
		return url => allowed(new URL(url)) === true;
	}
	return listed(name, new Set(Array.from(allowed, (entry: unknown, index) => originOf(`${name}[${index}]`, entry))), allowed);
}

/**
 * The default policy, when `allowedOrigins` is not given: the origins of `bases` (`baseUrl`, `prefix`) plus the
 * page's origin in a browser. With `optional`, no origin at all gives `undefined` instead of an error (a client
 * whose every origin has its own scheme binding).
 *
 * @throws {TypeError} For an invalid `baseUrl` or `prefix`, or when no origin at all would be allowed.
 */
export function defaultOriginPolicy(where: string, bases: RequestBases, optional: boolean): OriginPolicy | undefined {
	const origins = new Set<string>();
	const here = page();
	let resolvedBase = here?.href;
	if (bases.baseUrl !== undefined && bases.baseUrl !== '') {
		const origin = originOf(`${where}: baseUrl`, bases.baseUrl, here?.href);
		origins.add(origin);
		resolvedBase = new URL(bases.baseUrl as string | URL, here?.href).href;
	}
	if (bases.prefix !== undefined && bases.prefix !== '') {
		origins.add(originOf(`${where}: prefix`, bases.prefix, resolvedBase));
	}
	if (here) {
		origins.add(here.origin);
	}
	return optional && origins.size === 0 ? undefined : listed(`${where}: allowedOrigins`, origins, undefined);
}
