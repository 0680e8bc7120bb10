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

function baseOrigins(where: string, bases: RequestBases, origins: Set<string>): void {
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
}

/**
 * Builds the origin policy: the given list or predicate, else the origins of `bases`
 * (`baseUrl`, `prefix`) plus the page's origin in a browser; `name` is the option messages name. With `optional`, no origin at all gives
 * `undefined` instead of an error (a client whose every origin has its own scheme binding).
 *
 * @throws {TypeError} For an invalid entry, or when no origin at all would be allowed.
 */
export function createOriginPolicy(where: string, allowed: AllowedOrigins | undefined, bases: RequestBases, optional?: false, name?: string): OriginPolicy;
export function createOriginPolicy(where: string, allowed: AllowedOrigins | undefined, bases: RequestBases, optional: true): OriginPolicy | undefined;
export function createOriginPolicy(where: string, allowed: AllowedOrigins | undefined, bases: RequestBases, optional = false, name = `${where}: allowedOrigins`): OriginPolicy | undefined {
	if (typeof allowed === 'function') {
		return url => allowed(new URL(url)) === true;
	}
	const origins = new Set<string>();
	if (allowed === undefined) {
		baseOrigins(where, bases, origins);
	} else if (Array.isArray(allowed)) {
		for (const [index, entry] of (allowed as ReadonlyArray<unknown>).entries()) {
			origins.add(originOf(`${name}[${index}]`, entry));
		}
	} else {
		invalid(name, dev ? 'an array of origins or a function (url: URL) => boolean' : '', allowed);
	}
	if (origins.size === 0) {
		if (optional && allowed === undefined) {
			return undefined;
		}
		invalid(name, dev ? 'at least one origin (pass allowedOrigins, or baseUrl/prefix; outside a browser there is no page origin to default to)' : '', allowed);
	}
	return url => origins.has(originPrefix(url));
}
