import type {IncomingMessage} from 'node:http';

/**
 * RFC 9449 §4.3 step 9: `htu` is compared with the request URL "without query and fragment parts", after
 * the syntax- and scheme-based normalisation of RFC 3986 §6.2.2–6.2.3 — which is what WHATWG URL parsing
 * does (case of scheme and host, default port, dot segments, percent-encoding of what must be encoded).
 * Returns `undefined` when `value` is not an absolute URL.
 */
export function normaliseHtu(value: string): string | undefined {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return undefined;
	}
	url.search = '';
	url.hash = '';
	return url.href;
}

/**
 * The URL a request was sent to, as the client saw it: the server's own scheme, the `Host` header and
 * the request target (an absolute-form target, as sent to a proxy, is taken as it is). Through a proxy
 * in front of the server, `Host` names the proxy, which is the URL the client signed. Returns `undefined`
 * without a `Host` header or with a target that does not parse.
 */
export function requestUrl(request: IncomingMessage, scheme: 'http' | 'https'): string | undefined {
	const target = request.url ?? '';
	try {
		if (!target.startsWith('/')) return new URL(target).href;
		const host = request.headers.host;
		if (host === undefined || host === '') return undefined;
		return new URL(`${scheme}://${host}${target}`).href;
	} catch {
		return undefined;
	}
}
