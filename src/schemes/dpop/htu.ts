/** RFC 3986 §2.3: the unreserved characters, which a percent-encoding stands for needlessly. */
const unreserved = /^[A-Za-z0-9\-._~]$/;

/**
 * RFC 3986 §6.2.2.1 and §6.2.2.2 on a path: percent-encodings in upper case, and those of unreserved characters
 * decoded (`%7e` → `~`, `%2f` → `%2F`).
 */
function normalisePercentEncoding(path: string): string {
	return path.replaceAll(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => {
		const character = String.fromCodePoint(Number.parseInt(hex, 16));
		return unreserved.test(character) ? character : `%${hex.toUpperCase()}`;
	});
}

/**
 * A proof's `htu` (RFC 9449 §4.2): the request URL without query and fragment (and without user info, which
 * never reaches the server), normalised as RFC 9449 §4.3 compares it (RFC 3986 §6.2.2, §6.2.3): scheme and host
 * lowercased, the default port dropped, the path's dot segments resolved (the WHATWG URL parser), and its
 * percent-encodings in upper case with those of unreserved characters decoded.
 * `HTTPS://Api.Example.com:443/a/%7euser/%2f?b#c` gives `https://api.example.com/a/~user/%2F`.
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
	parsed.pathname = normalisePercentEncoding(parsed.pathname);
	return parsed.href;
}

/** The origin of `url`, or `undefined` when it is not a URL (nothing to key a nonce or a clock by). */
export function originOf(url: string): string | undefined {
	return URL.canParse(url) ? new URL(url).origin : undefined;
}
