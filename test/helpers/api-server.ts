import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

/** One request the API saw. */
export interface SeenRequest {
	method: string;
	path: string;
	authorization: string | undefined;
	contentType: string | undefined;
	body: string;
	/** The Host header: which of the server's names (127.0.0.1 or localhost, two origins) the request went to. */
	host: string;
	/** The X-API-Key header, when sent. */
	apiKey?: string;
}

/** Options of the test API server. */
export interface ApiServerOptions {
	/** Milliseconds the token endpoint waits before answering. */
	tokenDelay?: number;
	/** Answer CORS preflights and allow any origin (for the browser suite), and expose /__control/ endpoints. */
	browser?: boolean;
}

/**
 * A real node:http server on 127.0.0.1 (ephemeral port) that issues short tokens, validates bearer
 * tokens, can revoke them, counts token-endpoint calls and records what every request carried.
 */
export interface ApiServer {
	url: string;
	origin: string;
	seen: SeenRequest[];
	tokenCalls: number;
	/** Issues a fresh access token (what a login would return). */
	issue(): string;
	/** Invalidates every access token issued so far. */
	revokeAll(): void;
	/** Makes the token endpoint answer 400 invalid_grant. */
	failRefresh: boolean;
	close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) {
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	response.writeHead(status, {'content-type': 'application/json', ...headers});
	response.end(JSON.stringify(body));
}

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
	const valid = new Set<string>();
	let counter = 0;
	const issue = (): string => {
		counter++;
		const token = `at-${counter}-${Math.random().toString(36).slice(2)}`;
		valid.add(token);
		return token;
	};
	const state: ApiServer = {
		url: '',
		origin: '',
		seen: [],
		tokenCalls: 0,
		issue,
		revokeAll: () => valid.clear(),
		failRefresh: false,
		close: async () => new Promise(resolve => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
	const server: Server = createServer((request, response) => {
		void (async () => {
			const body = await readBody(request);
			const path = new URL(request.url ?? '/', 'http://x').pathname;
			if (options.browser) {
				response.setHeader('access-control-allow-origin', '*');
				response.setHeader('access-control-allow-headers', 'authorization, content-type, x-api-key');
				response.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE');
				response.setHeader('access-control-expose-headers', 'www-authenticate');
				if (request.method === 'OPTIONS') {
					response.writeHead(204);
					response.end();
					return;
				}
				if (path.startsWith('/__control/')) {
					control(path, response);
					return;
				}
			}
			if (path === '/token') {
				state.tokenCalls++;
				if (options.tokenDelay) {
					await new Promise(resolve => setTimeout(resolve, options.tokenDelay));
				}
				if (state.failRefresh) {
					send(response, 400, {error: 'invalid_grant'});
					return;
				}
				send(response, 200, {access_token: issue(), refresh_token: `rt-${counter}`, expires_in: 300});
				return;
			}
			const authorization = request.headers.authorization;
			const apiKey = request.headers['x-api-key'];
			state.seen.push({method: request.method ?? '', path, authorization, contentType: request.headers['content-type'], body, host: request.headers.host ?? '', ...(typeof apiKey === 'string' ? {apiKey} : {})});
			if (path === '/redirect-here') {
				response.writeHead(302, {location: '/echo'});
				response.end();
				return;
			}
			if (path === '/redirect-away') {
				response.writeHead(302, {location: new URL('/echo', `http://localhost:${(server.address() as AddressInfo).port}`).href});
				response.end();
				return;
			}
			const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
			if (!token || !valid.has(token)) {
				send(response, 401, {error: 'invalid_token'}, {'www-authenticate': 'Bearer realm="api", error="invalid_token"'});
				return;
			}
			if (path === '/forbidden') {
				send(response, 403, {error: 'insufficient_scope'}, {'www-authenticate': 'Bearer error="insufficient_scope", scope="admin write"'});
				return;
			}
			if (path === '/flaky') {
				const attempts = state.seen.filter(entry => entry.path === '/flaky').length;
				if (attempts === 1) {
					send(response, 503, {error: 'try again'});
					return;
				}
			}
			send(response, 200, {method: request.method, path, body, contentType: request.headers['content-type'] ?? null});
		})();
	});
	function control(path: string, response: ServerResponse): void {
		if (path === '/__control/issue') {
			send(response, 200, {token: issue()});
		} else if (path === '/__control/revoke') {
			valid.clear();
			send(response, 200, {});
		} else if (path === '/__control/reset') {
			state.seen.length = 0;
			state.tokenCalls = 0;
			state.failRefresh = false;
			send(response, 200, {});
		} else if (path === '/__control/fail-refresh') {
			state.failRefresh = true;
			send(response, 200, {});
		} else {
			send(response, 200, {tokenCalls: state.tokenCalls, seen: state.seen});
		}
	}

	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	state.origin = `http://127.0.0.1:${port}`;
	state.url = `${state.origin}/`;
	return state;
}

/** A refresh function that calls the server's token endpoint with plain fetch. */
export function serverRefresh(server: ApiServer) {
	return async ({signal}: {signal: AbortSignal}) => {
		const response = await fetch(`${server.origin}/token`, {method: 'POST', body: 'grant_type=refresh_token', signal});
		if (response.status === 400) {
			return null;
		}
		const body = await response.json() as {access_token: string; refresh_token: string; expires_in: number};
		return {accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in};
	};
}
