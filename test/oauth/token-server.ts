import {randomUUID} from 'node:crypto';
import {createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {jwtVerify} from 'jose';

/** A client the token server knows, and how it must authenticate. */
export type RegisteredClient =
	| {readonly id: string; readonly method: 'client_secret_basic' | 'client_secret_post'; readonly secret: string}
	| {readonly id: string; readonly method: 'private_key_jwt'; readonly publicKey: CryptoKey; readonly audience: string}
	| {readonly id: string; readonly method: 'none'};

/** One call of the token endpoint, as the server saw it. */
export interface TokenCall {
	readonly grant: string | null;
	readonly params: URLSearchParams;
	readonly headers: IncomingHttpHeaders;
	/** The authenticated client, or `undefined` when the authentication failed. */
	readonly client: string | undefined;
	/** `issued`, or the OAuth error code answered. */
	readonly outcome: string;
	/** The verified claims of a `private_key_jwt` assertion. */
	readonly assertion?: Record<string, unknown>;
}

/** An answer the token endpoint gives instead of its own, once. */
export interface ScriptedAnswer {
	readonly status: number;
	readonly headers?: Record<string, string>;
	/** Sent as JSON unless a string. */
	readonly body?: unknown;
}

/**
 * A real OAuth token endpoint on 127.0.0.1 (ephemeral port) that verifies client authentication
 * (`client_secret_basic` with RFC 6749 §2.3.1 form-decoding of id and secret, `client_secret_post`,
 * `private_key_jwt` checked with jose, `none`), issues client_credentials tokens, rotates refresh tokens
 * (a spent one is `invalid_grant`), and serves an API that accepts the access tokens it issued.
 */
export interface TokenServer {
	readonly origin: string;
	/** `${origin}/token` */
	readonly tokenEndpoint: string;
	/** A token endpoint that answers 302 to {@link redirectTarget}. */
	readonly redirectingEndpoint: string;
	/** Answers like the token endpoint; counts in {@link redirectTargetHits}. */
	readonly redirectTarget: string;
	readonly calls: TokenCall[];
	redirectTargetHits: number;
	apiCalls: number;
	/** What `expires_in` the endpoint answers (a number, a string, or `undefined` to leave it out). */
	expiresIn: number | string | undefined;
	/** Whether refresh answers carry a new refresh token (rotation). */
	rotate: boolean;
	/** Called when a token request arrives, before it is answered. */
	onTokenRequest: (() => void) | undefined;
	register(client: RegisteredClient): void;
	/** The next token calls get these answers, in order. */
	answerNext(...answers: ScriptedAnswer[]): void;
	/** A refresh token valid for `clientId`. */
	issueRefreshToken(clientId: string): string;
	/** An access token the API accepts. */
	issueAccessToken(): string;
	/** The API rejects every access token issued so far. */
	revokeAccessTokens(): void;
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
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	response.writeHead(status, {'content-type': 'application/json', 'cache-control': 'no-store', ...headers});
	response.end(text);
}

/** RFC 6749 Appendix B: `+` is a space, then percent-decoding as UTF-8. Throws on a malformed escape. */
function formDecode(text: string): string {
	return decodeURIComponent(text.replaceAll('+', ' '));
}

interface Authenticated {
	readonly client: RegisteredClient | undefined;
	readonly usedHeader: boolean;
	readonly assertion?: Record<string, unknown>;
}

export async function startTokenServer(): Promise<TokenServer> {
	const clients = new Map<string, RegisteredClient>();
	const refreshTokens = new Map<string, string>();
	const accessTokens = new Set<string>();
	const usedJti = new Set<string>();
	const scripted: ScriptedAnswer[] = [];

	const issueAccessToken = (): string => {
		const token = `at-${randomUUID()}`;
		accessTokens.add(token);
		return token;
	};
	const issueRefreshToken = (clientId: string): string => {
		const token = `rt-${randomUUID()}`;
		refreshTokens.set(token, clientId);
		return token;
	};

	async function authenticate(headers: IncomingHttpHeaders, params: URLSearchParams): Promise<Authenticated> {
		const authorization = headers.authorization;
		if (authorization !== undefined) {
			const match = /^Basic ([A-Za-z0-9+/]+=*)$/.exec(authorization);
			if (!match?.[1]) return {client: undefined, usedHeader: true};
			const decoded = Buffer.from(match[1], 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			if (colon < 0) return {client: undefined, usedHeader: true};
			let id: string;
			let secret: string;
			try {
				id = formDecode(decoded.slice(0, colon));
				secret = formDecode(decoded.slice(colon + 1));
			} catch {
				return {client: undefined, usedHeader: true};
			}
			const client = clients.get(id);
			const valid = client?.method === 'client_secret_basic' && client.secret === secret && !params.has('client_secret');
			return {client: valid ? client : undefined, usedHeader: true};
		}
		const client = clients.get(params.get('client_id') ?? '');
		if (client === undefined) return {client: undefined, usedHeader: false};
		if (client.method === 'client_secret_post') {
			return {client: params.get('client_secret') === client.secret ? client : undefined, usedHeader: false};
		}
		if (client.method === 'private_key_jwt') {
			if (params.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return {client: undefined, usedHeader: false};
			try {
				const {payload} = await jwtVerify(params.get('client_assertion') ?? '', client.publicKey, {
					issuer: client.id,
					subject: client.id,
					audience: client.audience,
					requiredClaims: ['exp', 'jti', 'iat'],
					maxTokenAge: '5 minutes',
				});
				const jti = payload.jti ?? '';
				if (usedJti.has(jti)) return {client: undefined, usedHeader: false};
				usedJti.add(jti);
				return {client, usedHeader: false, assertion: {...payload}};
			} catch {
				return {client: undefined, usedHeader: false};
			}
		}
		return {client: params.has('client_secret') || params.has('client_assertion') ? undefined : client, usedHeader: false};
	}

	function tokenAnswer(state: TokenServer, params: URLSearchParams, refreshFor: string | undefined): Record<string, unknown> {
		const body: Record<string, unknown> = {access_token: issueAccessToken(), token_type: 'Bearer'};
		if (state.expiresIn !== undefined) body.expires_in = state.expiresIn;
		if (refreshFor !== undefined) body.refresh_token = issueRefreshToken(refreshFor);
		const scope = params.get('scope');
		if (scope !== null) body.scope = scope;
		return body;
	}

	async function token(state: TokenServer, request: IncomingMessage, response: ServerResponse): Promise<void> {
		const body = await readBody(request);
		const params = new URLSearchParams(body);
		state.onTokenRequest?.();
		const record = (client: string | undefined, outcome: string, assertion?: Record<string, unknown>) => {
			state.calls.push({grant: params.get('grant_type'), params, headers: request.headers, client, outcome, ...(assertion ? {assertion} : {})});
		};
		const answer = scripted.shift();
		if (answer !== undefined) {
			record(undefined, `scripted ${answer.status}`);
			send(response, answer.status, answer.body ?? '', answer.headers);
			return;
		}
		if (request.method !== 'POST' || !request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
			record(undefined, 'invalid_request');
			send(response, 400, {error: 'invalid_request', error_description: 'POST a form'});
			return;
		}
		const {client, usedHeader, assertion} = await authenticate(request.headers, params);
		if (client === undefined) {
			record(undefined, 'invalid_client');
			send(response, 401, {error: 'invalid_client', error_description: 'Client authentication failed'}, usedHeader ? {'www-authenticate': 'Basic realm="token"'} : {});
			return;
		}
		const grant = params.get('grant_type');
		if (grant === 'client_credentials') {
			if (client.method === 'none') {
				record(client.id, 'unauthorized_client');
				send(response, 400, {error: 'unauthorized_client'});
				return;
			}
			record(client.id, 'issued', assertion);
			send(response, 200, tokenAnswer(state, params, undefined));
			return;
		}
		if (grant === 'refresh_token') {
			const presented = params.get('refresh_token') ?? '';
			if (refreshTokens.get(presented) !== client.id) {
				record(client.id, 'invalid_grant', assertion);
				send(response, 400, {error: 'invalid_grant', error_description: 'The refresh token is invalid, expired or already used'});
				return;
			}
			if (state.rotate) refreshTokens.delete(presented);
			record(client.id, 'issued', assertion);
			send(response, 200, tokenAnswer(state, params, state.rotate ? client.id : undefined));
			return;
		}
		record(client.id, 'unsupported_grant_type', assertion);
		send(response, 400, {error: 'unsupported_grant_type'});
	}

	const state: TokenServer = {
		origin: '',
		tokenEndpoint: '',
		redirectingEndpoint: '',
		redirectTarget: '',
		calls: [],
		redirectTargetHits: 0,
		apiCalls: 0,
		expiresIn: 300,
		rotate: true,
		onTokenRequest: undefined,
		register: client => {
			clients.set(client.id, client);
		},
		answerNext: (...answers) => {
			scripted.push(...answers);
		},
		issueRefreshToken,
		issueAccessToken,
		revokeAccessTokens: () => accessTokens.clear(),
		close: async () => new Promise(resolve => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};

	const server = createServer((request, response) => {
		void (async () => {
			const path = new URL(request.url ?? '/', 'http://x').pathname;
			if (path === '/token') {
				await token(state, request, response);
			} else if (path === '/redirecting/token') {
				response.writeHead(302, {location: state.redirectTarget});
				response.end();
			} else if (path === '/redirect-target') {
				state.redirectTargetHits++;
				await token(state, request, response);
			} else if (path.startsWith('/api/')) {
				state.apiCalls++;
				const authorization = request.headers.authorization ?? '';
				const accepted = authorization.startsWith('Bearer ') && accessTokens.has(authorization.slice(7));
				if (accepted) {
					send(response, 200, {path});
				} else {
					send(response, 401, {error: 'invalid_token'}, {'www-authenticate': 'Bearer error="invalid_token"'});
				}
			} else {
				send(response, 404, 'Not Found', {'content-type': 'text/plain'});
			}
		})();
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	const origin = `http://127.0.0.1:${port}`;
	Object.assign(state, {
		origin,
		tokenEndpoint: `${origin}/token`,
		redirectingEndpoint: `${origin}/redirecting/token`,
		redirectTarget: `${origin}/redirect-target`,
	});
	return state;
}

/** A loopback URL nothing listens on: a server is started on an ephemeral port and closed. */
export async function refusedEndpoint(): Promise<string> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	await new Promise<void>(resolve => server.close(() => resolve()));
	return `http://127.0.0.1:${port}/token`;
}

/** What a refresh function receives, for calling it directly. */
export function context(tokens: {accessToken: string; refreshToken?: string} | null = null) {
	return {tokens, reason: 'manual' as const, signal: new AbortController().signal};
}
