/**
 * A proof's `htu` (RFC 9449 §4.2): the request URL without query and fragment (and without user info, which
 * never reaches the server), normalised as the WHATWG URL parser does: scheme and host lowercased, the
 * default port dropped, the path's dot segments resolved. `HTTPS://Api.Example.com:443/a?b#c` gives
 * `https://api.example.com/a`.
 *
 * @throws TypeError when `url` is not an absolute http(s) URL.
 */
export function htuOf(where: string, url: string): string {
	const parsed = URL.canParse(url) ? new URL(url) : undefined;
	if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
		throw new TypeError(`${where}: expected an absolute http: or https: URL, got ${parsed === undefined ? 'a string that is not one' : `a ${parsed.protocol} URL`}`);
	}
	parsed.username = '';
	parsed.password = '';
	parsed.search = '';
	parsed.hash = '';
	return parsed.href;
}

/** The origin of `url`, or `undefined` when it is not a URL (nothing to key a nonce or a clock by). */
export function originOf(url: string): string | undefined {
	return URL.canParse(url) ? new URL(url).origin : undefined;
}
