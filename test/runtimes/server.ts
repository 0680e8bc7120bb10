import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

/**
 * The token endpoint and the API the runtime suites talk to: a node:http server on 127.0.0.1 (ephemeral port).
 * Every path is counted, so each case uses paths of its own (`/token/<case>`, `/api/<case>/…`) and reads its counts.
 *
 * - `POST /token/<case>`: issues a new access token (valid from now on) and refresh token.
 * - `GET /api/<case>/ok`: 200 with a valid bearer token, else 401 `invalid_token`.
 * - `GET /api/<case>/always-401`: 401 `invalid_token`, whatever the token.
 * - `GET /api/<case>/forbidden`: 403 with a valid bearer token, else 401.
 * - `GET /api/<case>/to-same`: 302 to `/api/<case>/ok` on this origin.
 * - `GET /api/<case>/to-elsewhere`: 302 to `/api/<case>/landing` on another origin (`elsewhere`: the same handler on
 *   another port), which answers 200 to anyone. A request that carries an `Authorization` header is also counted
 *   under its path + `+authorization`.
 */
export interface RuntimeServer {
	readonly url: string;
	/** Another origin (the same routes on another port), where `to-elsewhere` redirects. */
	readonly elsewhere: string;
	/** How many requests each path received. */
	hits(path: string): number;
	/** Forgets the counts and every issued token (the next suite starts afresh). */
	reset(): void;
	close(): Promise<void>;
}

async function drain(request: IncomingMessage): Promise<void> {
	for await (const _chunk of request) {
		// The body is not needed, only read.
	}
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	response.writeHead(status, {'content-type': 'application/json', ...headers});
	response.end(JSON.stringify(body));
}

const challenge = {'www-authenticate': 'Bearer error="invalid_token"'};

export async function startRuntimeServer(): Promise<RuntimeServer> {
	const valid = new Set<string>(['login']);
	const hits = new Map<string, number>();
	let issued = 0;
	let elsewhere = '';
	const handler = (request: IncomingMessage, response: ServerResponse): void => {
		void (async () => {
			await drain(request);
			const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
			hits.set(path, (hits.get(path) ?? 0) + 1);
			if (request.headers.authorization !== undefined) {
				hits.set(`${path}+authorization`, (hits.get(`${path}+authorization`) ?? 0) + 1);
			}
			const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
			const authorized = bearer !== undefined && valid.has(bearer);
			if (request.method === 'POST' && path.startsWith('/token/')) {
				issued++;
				const token = `access-${issued}`;
				valid.add(token);
				send(response, 200, {access_token: token, refresh_token: `refresh-${issued}`, token_type: 'Bearer', expires_in: 3600});
			} else if (path.startsWith('/api/') && path.endsWith('/ok')) {
				send(response, authorized ? 200 : 401, {ok: authorized}, authorized ? {} : challenge);
			} else if (path.startsWith('/api/') && path.endsWith('/always-401')) {
				send(response, 401, {ok: false}, challenge);
			} else if (path.startsWith('/api/') && path.endsWith('/forbidden')) {
				send(response, authorized ? 403 : 401, {ok: false}, authorized ? {} : challenge);
			} else if (path.startsWith('/api/') && path.endsWith('/to-same')) {
				send(response, 302, {}, {location: path.replace(/to-same$/, 'ok')});
			} else if (path.startsWith('/api/') && path.endsWith('/to-elsewhere')) {
				send(response, 302, {}, {location: `${elsewhere}${path.replace(/to-elsewhere$/, 'landing')}`});
			} else if (path.startsWith('/api/') && path.endsWith('/landing')) {
				send(response, 200, {ok: true});
			} else {
				send(response, 404, {});
			}
		})();
	};
	const listen = async (): Promise<{server: Server; url: string}> => {
		const server = createServer(handler);
		server.keepAliveTimeout = 1000;
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		return {server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`};
	};
	const main = await listen();
	const other = await listen();
	elsewhere = other.url;
	return {
		url: main.url,
		elsewhere,
		hits: path => hits.get(path) ?? 0,
		reset: () => {
			hits.clear();
			valid.clear();
			valid.add('login');
		},
		close: async () => {
			await Promise.all([main.server, other.server].map(async server => {
				server.closeAllConnections();
				await new Promise<void>(resolve => {
					server.close(() => {
						resolve();
					});
				});
			}));
		},
	};
}
