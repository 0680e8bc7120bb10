import {browserProduction, dev, seeDocs} from '../utils/dev.js';
import {discard, requestTo} from './hop.js';

/** The most redirects followed, as the Fetch standard allows (§4.4 step 7). */
export const maxRedirects = 20;

/** The statuses whose `Location` fetch follows. */
export const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Headers that never go on to another origin: `Authorization` (Fetch §4.4 step 13), and what Node's fetch drops
 * besides (the caller's cookies and proxy credentials, and a `Host` set by hand).
 */
const crossOriginDropped = ['authorization', 'proxy-authorization', 'cookie', 'host'];

/** Headers that describe a body, removed when a redirect turns the request into a GET (Fetch §4.4 step 12). */
const bodyHeaders = ['content-encoding', 'content-language', 'content-location', 'content-type'];

/** Where the fetch standard sends a redirected request next: the method, and whether the body goes along. */
function nextMethod(status: number, method: string): {method: string; dropBody: boolean} {
	if (((status === 301 || status === 302) && method === 'POST') || (status === 303 && method !== 'GET' && method !== 'HEAD')) {
		return {method: 'GET', dropBody: true};
	}
	return {method, dropBody: false};
}

/**
 * The next hop's request, made as the Fetch standard does (method, body, `Authorization` dropped across origins),
 * without the query parameters in `strip`: a server that keeps the query in its `Location` would otherwise carry
 * a key ky-auth added to the hop before on to this one, whatever its origin.
 */
export async function nextHop(hop: Request, spare: Request | undefined, status: number, location: URL, strip: readonly string[]): Promise<Request> {
	for (const name of strip) {
		location.searchParams.delete(name);
	}
	const {method, dropBody} = nextMethod(status, hop.method);
	const next = await requestTo(location.href, spare ?? hop, {method, dropBody});
	if (dropBody) {
		for (const name of bodyHeaders) {
			next.headers.delete(name);
		}
	}
	if (location.origin !== new URL(hop.url).origin) {
		for (const name of crossOriginDropped) {
			next.headers.delete(name);
		}
	}
	return next;
}

/**
 * Follows redirects hop by hop, so the credentials of each hop are decided for that hop's URL by `sendHop`
 * (which sends with `redirect: 'manual'`): the platform's own following forwards custom headers to any origin.
 * The query parameters named in `strip` (a scheme's) are taken off every later hop's URL before it is decided.
 * The final response reads `redirected: true` when a redirect was followed, as fetch's would.
 *
 * @throws {TypeError} After {@link maxRedirects} redirects, for a `Location` that is not a URL, and where the
 * platform hides redirects from scripts (a browser's opaque redirect): a credentialed request is then not sent
 * on to a hop it cannot see.
 */
async function followEveryHop(first: Request, sendHop: (hop: Request) => Promise<Response>, strip: readonly string[] = []): Promise<Response> {
	let hop = first;
	for (let count = 0; ; count++) {
		// A 307/308 replays the body: keep a copy until the answer says whether it is needed.
		const spare = hop.body === null ? undefined : hop.clone();
		const response = await sendHop(hop);
		if (response.type === 'opaqueredirect') {
			throw new TypeError(dev ? `ky-auth: ${new URL(hop.url).origin} answered with a redirect that this platform hides from scripts; a request carrying credentials that the platform would forward to any origin is not followed (send it to the final URL)` : seeDocs('REDIRECT_HIDDEN'));
		}
		const location = redirectStatuses.has(response.status) ? response.headers.get('location') : null;
		if (location === null) {
			discard(spare);
			if (count > 0) {
				Object.defineProperty(response, 'redirected', {value: true, enumerable: true});
			}
			return response;
		}
		discard(response);
		if (count === maxRedirects) {
			throw new TypeError(dev ? `ky-auth: more than ${maxRedirects} redirects` : seeDocs('TOO_MANY_REDIRECTS'));
		}
		let target: URL;
		try {
			target = new URL(location, hop.url);
		} catch {
			throw new TypeError(dev ? 'ky-auth: a redirect\'s Location is not a URL' : seeDocs('REDIRECT_LOCATION'));
		}
		if (target.protocol !== 'http:' && target.protocol !== 'https:') {
			// Fetch §4.4 step 6: a redirect to data:, file: or any other scheme is a network error.
			throw new TypeError(dev ? `ky-auth: a redirect to a ${target.protocol} URL is not followed` : seeDocs('REDIRECT_SCHEME'));
		}
		hop = await nextHop(hop, spare, response.status, target, strip);
	}
}

/**
 * In a browser, a request sent with `redirect: 'manual'` never shows a redirect to scripts (an opaque redirect):
 * the first hop is all there is to follow, and a redirect ends in the same `TypeError` as {@link followEveryHop}'s.
 */
async function firstHopOnly(first: Request, sendHop: (hop: Request) => Promise<Response>): Promise<Response> {
	const response = await sendHop(first);
	if (response.type === 'opaqueredirect') {
		throw new TypeError(seeDocs('REDIRECT_HIDDEN'));
	}
	return response;
}

/**
 * Follows redirects hop by hop, deciding each hop's credentials for its URL (see {@link followEveryHop}). The
 * browser production build, which only browsers load, sends the first hop only: a browser hides every redirect.
 */
export const followRedirects: typeof followEveryHop = browserProduction ? firstHopOnly : followEveryHop;
