import type {AllowedOrigins} from '../types/client.js';
import {invalid} from '../utils/validate.js';

/** Decides from a request's (serialised) URL whether it may carry credentials. */
export type OriginPolicy = (url: string) => boolean;

function originOf(where: string, value: unknown, base?: string): string {
	if (typeof value !== 'string' && !(value instanceof URL)) {
		invalid(where, 'a string or URL', value);
	}
	let url: URL;
	try {
		url = new URL(value, base);
	} catch {
		return invalid(where, 'an absolute URL', value);
	}
	if (url.origin === 'null') {
		invalid(where, 'an http(s) URL with an origin', value);
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

/** The page's origin in a browser, `undefined` elsewhere. */
function pageOrigin(): string | undefined {
	const origin = (globalThis as {location?: {origin?: unknown}}).location?.origin;
	return typeof origin === 'string' && origin !== 'null' ? origin : undefined;
}

/**
 * Builds the origin policy: the given list or predicate, else the origins of `bases`
 * (`baseUrl`, `prefix`) plus the page's origin in a browser.
 *
 * @throws {TypeError} For an invalid entry, or when no origin at all would be allowed.
 */
export function createOriginPolicy(where: string, allowed: AllowedOrigins | undefined, bases: readonly unknown[]): OriginPolicy {
	if (typeof allowed === 'function') {
		return url => allowed(new URL(url)) === true;
	}
	const origins = new Set<string>();
	if (allowed === undefined) {
		const page = pageOrigin();
		for (const base of bases) {
			if (base !== undefined && base !== '') {
				origins.add(originOf(`${where}: baseUrl/prefix`, base, page === undefined ? undefined : (globalThis as unknown as {location: {href: string}}).location.href));
			}
		}
		if (page !== undefined) {
			origins.add(page);
		}
	} else if (Array.isArray(allowed)) {
		for (const [index, entry] of (allowed as ReadonlyArray<unknown>).entries()) {
			origins.add(originOf(`${where}: allowedOrigins[${index}]`, entry));
		}
	} else {
		invalid(`${where}: allowedOrigins`, 'an array of origins or a function (url: URL) => boolean', allowed);
	}
	if (origins.size === 0) {
		invalid(`${where}: allowedOrigins`, 'at least one origin (pass allowedOrigins, or baseUrl/prefix; outside a browser there is no page origin to default to)', allowed);
	}
	return url => origins.has(originPrefix(url));
}
