import type {IncomingMessage, ServerResponse} from 'node:http';

/**
 * Opt-in CORS for a DPoP test server, so a page on another origin (a browser test) can call it. A browser
 * preflights every request that carries `Authorization` or `DPoP` (neither is CORS-safelisted), and shows a
 * script only the response headers that are safelisted or listed in `Access-Control-Expose-Headers`: `Date`,
 * `DPoP-Nonce` and `WWW-Authenticate` are not safelisted, so a server that does not list them hides them.
 */
export interface CorsOptions {
	/** `'*'` (default), or `'request-origin'`: the request's `Origin` echoed back, with `Vary: Origin`. */
	readonly allowOrigin?: '*' | 'request-origin';
	/** The response headers listed in `Access-Control-Expose-Headers`. Default `DPoP-Nonce`, `Date`, `WWW-Authenticate`; `[]` sends no such header. */
	readonly exposeHeaders?: readonly string[];
}

/** The CORS option of the DPoP servers. */
export interface WithCorsOption {
	/**
	 * Answer browsers on other origins: `true` for the defaults, or {@link CorsOptions}. Default: off (no CORS
	 * headers, an `OPTIONS` request is handled as any other request).
	 */
	readonly cors?: CorsOptions | boolean;
}

/** A server's CORS state, changeable while it runs. */
export interface CorsState {
	readonly allowOrigin: '*' | 'request-origin';
	/** What `Access-Control-Expose-Headers` lists now. */
	readonly exposeHeaders: readonly string[];
	/** Replaces the exposed headers (`[]`: none exposed beyond the safelisted ones). */
	setExposeHeaders(headers: readonly string[]): void;
	/** Preflights answered (they are not counted as requests in the server's stats). */
	readonly preflights: number;
}

/** The state plus what only the server itself calls. */
export interface CorsController extends CorsState {
	/** Counts one answered preflight. */
	countPreflight(): void;
}

/** What a CORS server exposes by default: the nonce, the server's clock and the challenges. */
export const defaultExposeHeaders: readonly string[] = ['DPoP-Nonce', 'Date', 'WWW-Authenticate'];

/** The request headers a preflight may ask for. */
const allowHeaders = 'authorization, dpop, content-type';
const allowMethods = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
/** An HTTP field name (a token, RFC 9110 §5.1). */
const fieldName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function checkExposeHeaders(where: string, headers: unknown): readonly string[] {
	if (!Array.isArray(headers) || headers.some(header => typeof header !== 'string' || !fieldName.test(header))) {
		throw new TypeError(`${where}: expected a list of header names, got ${JSON.stringify(headers)}`);
	}
	return headers.map(String);
}

/** Validates `options` (`true`: the defaults; `false` or absent: no CORS) and builds the state. */
export function createCorsState(where: string, options: CorsOptions | boolean | undefined): CorsController | undefined {
	if (options === undefined || options === false) return undefined;
	const given: CorsOptions = options === true ? {} : options;
	if (typeof given !== 'object' || given === null) {
		throw new TypeError(`${where}: options.cors: expected a boolean or {allowOrigin?, exposeHeaders?}, got ${typeof given}`);
	}
	const allowOrigin = given.allowOrigin ?? '*';
	if (allowOrigin !== '*' && allowOrigin !== 'request-origin') {
		throw new TypeError(`${where}: options.cors.allowOrigin: expected '*' or 'request-origin', got ${JSON.stringify(allowOrigin)}`);
	}
	let exposeHeaders = checkExposeHeaders(`${where}: options.cors.exposeHeaders`, given.exposeHeaders ?? defaultExposeHeaders);
	let preflights = 0;
	return {
		allowOrigin,
		get exposeHeaders() {
			return exposeHeaders;
		},
		setExposeHeaders(headers) {
			exposeHeaders = checkExposeHeaders('setExposeHeaders', headers);
		},
		get preflights() {
			return preflights;
		},
		countPreflight() {
			preflights++;
		},
	};
}

/**
 * Sets the CORS response headers for `request` (before the handler writes its head, which keeps them), and
 * answers a preflight (`OPTIONS` with `Access-Control-Request-Method`) with 204 on its own. Returns `true`
 * when the request was a preflight and is answered.
 */
export function answerCors(state: CorsController, request: IncomingMessage, response: ServerResponse): boolean {
	const origin = request.headers.origin;
	if (state.allowOrigin === '*' || origin === undefined) {
		response.setHeader('access-control-allow-origin', '*');
	} else {
		response.setHeader('access-control-allow-origin', origin);
		response.setHeader('vary', 'Origin');
	}
	if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
		state.countPreflight();
		response.writeHead(204, {
			'access-control-allow-methods': allowMethods,
			'access-control-allow-headers': allowHeaders,
			'access-control-max-age': '0',
			'content-length': '0',
		});
		response.end();
		return true;
	}
	if (state.exposeHeaders.length > 0) response.setHeader('access-control-expose-headers', state.exposeHeaders.join(', '));
	return false;
}
