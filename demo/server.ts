/**
 * The demo's local OAuth server and API, on node:http (127.0.0.1, ephemeral port).
 *
 * - POST /oauth/token: `grant_type=password` (demo/demo) starts a refresh-token family;
 *   `grant_type=refresh_token` rotates it: every refresh token works once, and spending one twice
 *   (or one of a revoked family) answers 400 `invalid_grant` and revokes the family.
 * - GET /api/items/:id, POST /api/items (echoes the JSON body): need a valid Bearer token.
 * - GET /api/admin: valid token, but 403 `insufficient_scope` (scope "admin").
 * - Control functions (not HTTP) revoke access tokens or the refresh-token family, and counters
 *   record what happened. A request carrying an `x-request-id` already seen is a retry.
 */
import {randomBytes} from 'node:crypto';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

/** Options of {@link startDemoServer}. */
export interface DemoServerOptions {
	/** Lifetime of access tokens, in seconds. */
	accessTokenTtl: number;
	/** Scope granted to every token. */
	scope?: string;
}

/** What the server counted. */
export interface DemoCounts {
	/** POST /oauth/token with grant_type=password. */
	passwordGrants: number;
	/** POST /oauth/token with grant_type=refresh_token that issued new tokens. */
	refreshGrants: number;
	/** POST /oauth/token answered 400 invalid_grant. */
	invalidGrants: number;
	/** Every request under /api/. */
	apiRequests: number;
	/** API answers 401. */
	unauthorized: number;
	/** API answers 403. */
	forbidden: number;
	/** API requests whose `x-request-id` had been seen before (the client's one retry after a 401). */
	retries: number;
}

/** One API request as the server saw it. */
export interface ApiRequestRecord {
	requestId: string | undefined;
	method: string;
	path: string;
	/** Serial number of the access token it carried (1 = the sign-in token), or `null` when unknown. */
	tokenSerial: number | null;
	status: number;
}

export interface DemoServer {
	readonly origin: string;
	readonly tokenEndpoint: string;
	/** A copy of the counters. */
	counts(): DemoCounts;
	/** Every API request so far, in arrival order. */
	readonly log: readonly ApiRequestRecord[];
	/** Invalidates every access token issued so far; returns how many were still valid. */
	revokeAccessTokens(): number;
	/** Invalidates every refresh-token family (their refresh tokens answer `invalid_grant`). */
	revokeRefreshTokenFamily(): number;
	close(): Promise<void>;
}

interface AccessToken {
	serial: number;
	family: number;
	expiresAt: number;
	revoked: boolean;
}

interface RefreshToken {
	family: number;
	used: boolean;
}

function opaque(prefix: string): string {
	return `${prefix}_${randomBytes(18).toString('base64url')}`;
}

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) {
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	response.writeHead(status, {'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers});
	response.end(JSON.stringify(body));
}

export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
	const scope = options.scope ?? 'items:read items:write';
	const accessTokens = new Map<string, AccessToken>();
	const refreshTokens = new Map<string, RefreshToken>();
	const revokedFamilies = new Set<number>();
	const seenRequestIds = new Set<string>();
	const log: ApiRequestRecord[] = [];
	const counts: DemoCounts = {
		passwordGrants: 0, refreshGrants: 0, invalidGrants: 0, apiRequests: 0, unauthorized: 0, forbidden: 0, retries: 0,
	};
	let families = 0;
	let serials = 0;

	function issue(family: number): Record<string, unknown> {
		const accessToken = opaque('at');
		const refreshToken = opaque('rt');
		accessTokens.set(accessToken, {serial: ++serials, family, expiresAt: Date.now() + (options.accessTokenTtl * 1000), revoked: false});
		refreshTokens.set(refreshToken, {family, used: false});
		return {
			access_token: accessToken,
			token_type: 'Bearer',
			expires_in: options.accessTokenTtl,
			refresh_token: refreshToken,
			scope,
		};
	}

	function invalidGrant(response: ServerResponse, description: string): void {
		counts.invalidGrants++;
		sendJson(response, 400, {error: 'invalid_grant', error_description: description});
	}

	function token(response: ServerResponse, body: string): void {
		const form = new URLSearchParams(body);
		const grant = form.get('grant_type');
		if (grant === 'password') {
			if (form.get('username') !== 'demo' || form.get('password') !== 'demo') {
				invalidGrant(response, 'Wrong username or password');
				return;
			}
			counts.passwordGrants++;
			sendJson(response, 200, issue(++families));
			return;
		}
		if (grant === 'refresh_token') {
			const presented = refreshTokens.get(form.get('refresh_token') ?? '');
			if (!presented) {
				invalidGrant(response, 'Unknown refresh token');
				return;
			}
			if (presented.used || revokedFamilies.has(presented.family)) {
				// Reuse of a rotated refresh token: assume theft and end the whole family.
				revokedFamilies.add(presented.family);
				invalidGrant(response, presented.used ? 'Refresh token reused' : 'Refresh token revoked');
				return;
			}
			presented.used = true;
			counts.refreshGrants++;
			sendJson(response, 200, issue(presented.family));
			return;
		}
		sendJson(response, 400, {error: 'unsupported_grant_type'});
	}

	/** The access token of a request, or why it is refused (a `WWW-Authenticate` value). */
	function authenticate(request: IncomingMessage): {token: AccessToken} | {challenge: string} {
		const header = request.headers.authorization;
		if (header === undefined) {
			// RFC 6750 §3.1: no error code when the request carried no credentials.
			return {challenge: 'Bearer realm="ky-auth demo"'};
		}
		const match = /^Bearer +(\S+)$/i.exec(header);
		const found = match ? accessTokens.get(match[1]!) : undefined;
		if (!found || found.revoked || revokedFamilies.has(found.family)) {
			return {challenge: 'Bearer realm="ky-auth demo", error="invalid_token", error_description="The access token is invalid or revoked"'};
		}
		if (Date.now() >= found.expiresAt) {
			return {challenge: 'Bearer realm="ky-auth demo", error="invalid_token", error_description="The access token expired"'};
		}
		return {token: found};
	}

	function api(request: IncomingMessage, response: ServerResponse, path: string, body: string): void {
		counts.apiRequests++;
		const requestId = request.headers['x-request-id'] as string | undefined;
		if (requestId !== undefined) {
			if (seenRequestIds.has(requestId)) {
				counts.retries++;
			}
			seenRequestIds.add(requestId);
		}
		const method = request.method ?? 'GET';
		const auth = authenticate(request);
		const record: ApiRequestRecord = {requestId, method, path, tokenSerial: 'token' in auth ? auth.token.serial : null, status: 0};
		log.push(record);
		const reply = (status: number, payload: unknown, headers?: Record<string, string>): void => {
			record.status = status;
			sendJson(response, status, payload, headers);
		};
		if ('challenge' in auth) {
			counts.unauthorized++;
			reply(401, {error: 'invalid_token'}, {'www-authenticate': auth.challenge});
			return;
		}
		const item = /^\/api\/items\/([\w-]+)$/.exec(path);
		if (method === 'GET' && item) {
			reply(200, {id: item[1], name: `Item ${item[1]}`});
		} else if (method === 'POST' && path === '/api/items') {
			let parsed: unknown;
			try {
				parsed = JSON.parse(body);
			} catch {
				reply(400, {error: 'invalid_json'});
				return;
			}
			reply(201, parsed);
		} else if (method === 'GET' && path === '/api/admin') {
			counts.forbidden++;
			reply(403, {error: 'insufficient_scope'}, {
				'www-authenticate': 'Bearer realm="ky-auth demo", error="insufficient_scope", scope="admin"',
			});
		} else {
			reply(404, {error: 'not_found'});
		}
	}

	const server = createServer((request, response) => {
		readBody(request).then(body => {
			const path = new URL(request.url ?? '/', 'http://localhost').pathname;
			if (path === '/oauth/token' && request.method === 'POST') {
				token(response, body);
			} else if (path.startsWith('/api/')) {
				api(request, response, path, body);
			} else {
				sendJson(response, 404, {error: 'not_found'});
			}
		}).catch((error: unknown) => {
			sendJson(response, 500, {error: String(error)});
		});
	});

	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	return {
		origin,
		tokenEndpoint: `${origin}/oauth/token`,
		log,
		counts: () => ({...counts}),
		revokeAccessTokens() {
			let revoked = 0;
			for (const entry of accessTokens.values()) {
				if (!entry.revoked && Date.now() < entry.expiresAt) {
					revoked++;
				}
				entry.revoked = true;
			}
			return revoked;
		},
		revokeRefreshTokenFamily() {
			let revoked = 0;
			for (let family = 1; family <= families; family++) {
				if (!revokedFamilies.has(family)) {
					revoked++;
					revokedFamilies.add(family);
				}
			}
			return revoked;
		},
		close: async () => new Promise<void>((resolve, reject) => {
			server.close(error => {
				if (error) {
					reject(error);
				} else {
					resolve();
				}
			});
			server.closeAllConnections();
		}),
	};
}
