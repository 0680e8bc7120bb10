import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import {closeServer, listenOnLoopback} from './listen.js';
import type {DPoPServers} from './start-servers.js';

/** What a browser test learns from {@link startDPoPControlServer}'s `stats`: everything since the last `mark`. */
export interface ControlStats {
	readonly token: {
		/** Token-endpoint calls (preflights not counted). */
		readonly requests: number;
		/** Calls with `grant_type=refresh_token`, whatever their outcome. */
		readonly refreshRequests: number;
		/** Tokens issued. */
		readonly grants: number;
		/** Each call's outcome in arrival order (`issued` or a rejection reason such as `nonce-missing`, `iat`). */
		readonly outcomes: readonly string[];
		readonly replays: number;
		readonly reuse: number;
		readonly preflights: number;
	};
	readonly resource: {
		readonly requests: number;
		readonly accepted: number;
		/** Refusals by reason. */
		readonly rejections: Readonly<Record<string, number>>;
		/** Signature-valid proofs whose `jti` had been seen before. */
		readonly replays: number;
		/** The `jti` of every proof that decoded, in arrival order. */
		readonly jtis: readonly string[];
		/** The accepted requests: path, the proof key's thumbprint and the proof's `iat` (seconds). */
		readonly acceptedProofs: ReadonlyArray<{readonly path: string; readonly jkt: string | undefined; readonly iat: number | undefined}>;
		readonly preflights: number;
	};
	/** The servers' clock, in milliseconds. */
	readonly serverNow: number;
}

/** A running control server. */
export interface DPoPControlServer {
	/** `http://127.0.0.1:<port>`; endpoints are `POST ${origin}/__control/<pair>/<action>`. */
	readonly origin: string;
	close(): Promise<void>;
}

interface Mark {
	tokenRequests: number;
	resourceRequests: number;
	tokenReplays: number;
	resourceReplays: number;
	reuse: number;
	tokenPreflights: number;
	resourcePreflights: number;
}

function markOf(servers: DPoPServers): Mark {
	const {tokenServer, resourceServer} = servers;
	return {
		tokenRequests: tokenServer.requests.length,
		resourceRequests: resourceServer.requests.length,
		tokenReplays: tokenServer.stats.replays,
		resourceReplays: resourceServer.stats.replays,
		reuse: tokenServer.stats.reuse,
		tokenPreflights: tokenServer.cors?.preflights ?? 0,
		resourcePreflights: resourceServer.cors?.preflights ?? 0,
	};
}

function statsSince(servers: DPoPServers, mark: Mark): ControlStats {
	const {tokenServer, resourceServer} = servers;
	const tokenCalls = tokenServer.requests.slice(mark.tokenRequests);
	const resourceCalls = resourceServer.requests.slice(mark.resourceRequests);
	const rejections: Record<string, number> = {};
	for (const call of resourceCalls) {
		if (call.outcome !== 'accepted') rejections[call.outcome] = (rejections[call.outcome] ?? 0) + 1;
	}
	const accepted = resourceCalls.filter(call => call.outcome === 'accepted');
	return {
		token: {
			requests: tokenCalls.length,
			refreshRequests: tokenCalls.filter(call => call.grantType === 'refresh_token').length,
			grants: tokenCalls.filter(call => call.outcome === 'issued').length,
			outcomes: tokenCalls.map(call => call.outcome),
			replays: tokenServer.stats.replays - mark.tokenReplays,
			reuse: tokenServer.stats.reuse - mark.reuse,
			preflights: (tokenServer.cors?.preflights ?? 0) - mark.tokenPreflights,
		},
		resource: {
			requests: resourceCalls.length,
			accepted: accepted.length,
			rejections,
			replays: resourceServer.stats.replays - mark.resourceReplays,
			jtis: resourceCalls.flatMap(call => (call.proof?.jti === undefined ? [] : [call.proof.jti])),
			acceptedProofs: accepted.map(call => ({path: call.path, jkt: call.proof?.jkt, iat: call.proof?.iat})),
			preflights: (resourceServer.cors?.preflights ?? 0) - mark.resourcePreflights,
		},
		serverNow: resourceServer.now(),
	};
}

function reply(response: ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, {'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'no-store'});
	response.end(JSON.stringify(body));
}

/**
 * A small HTTP server (127.0.0.1, CORS `*`, plain `POST`s: no preflight) through which a browser test drives
 * named DPoP server pairs it cannot reach from the page:
 * - `refresh-token`: a refresh token for `alice`, bound to the key of the first proof that uses it → `{refreshToken}`;
 * - `access-token?jkt=<thumbprint>`: an access token for `alice` bound to that key → `{accessToken}`;
 * - `expire`: every access token issued so far expires;
 * - `expose?headers=Date,WWW-Authenticate`: both servers' `Access-Control-Expose-Headers` (empty: none);
 * - `mark`: `stats` counts from now on;
 * - `stats`: {@link ControlStats} since the last `mark`.
 *
 * Unknown pairs or actions are 404, a wrong query 400 (with the message).
 */
export async function startDPoPControlServer(pairs: Readonly<Record<string, DPoPServers>>): Promise<DPoPControlServer> {
	const marks = new Map<string, Mark>(Object.entries(pairs).map(([name, servers]) => [name, markOf(servers)]));

	function handle(request: IncomingMessage, response: ServerResponse): void {
		const url = new URL(request.url ?? '/', 'http://control');
		const match = /^\/__control\/([\w-]+)\/([\w-]+)$/.exec(url.pathname);
		const name = match?.[1] ?? '';
		const servers = Object.hasOwn(pairs, name) ? pairs[name] : undefined;
		if (request.method !== 'POST' || servers === undefined) {
			reply(response, 404, {error: `expected POST /__control/<${Object.keys(pairs).join('|')}>/<action>, got ${request.method ?? ''} ${url.pathname}`});
			return;
		}
		const {tokenServer, resourceServer} = servers;
		switch (match?.[2]) {
			case 'refresh-token': {
				reply(response, 200, {refreshToken: tokenServer.issueRefreshToken({sub: 'alice'})});
				return;
			}
			case 'access-token': {
				const jkt = url.searchParams.get('jkt');
				if (jkt === null || jkt === '') {
					reply(response, 400, {error: 'access-token: expected ?jkt=<key thumbprint>, got none'});
					return;
				}
				reply(response, 200, {accessToken: tokenServer.issueAccessToken({sub: 'alice', jkt})});
				return;
			}
			case 'expire': {
				tokenServer.expireAccessTokens();
				reply(response, 200, {});
				return;
			}
			case 'expose': {
				const list = (url.searchParams.get('headers') ?? '').split(',').map(header => header.trim()).filter(header => header !== '');
				for (const server of [tokenServer, resourceServer]) {
					if (server.cors === undefined) {
						reply(response, 400, {error: `expose: the ${name} servers were started without cors`});
						return;
					}
					server.cors.setExposeHeaders(list);
				}
				reply(response, 200, {exposeHeaders: list});
				return;
			}
			case 'mark': {
				marks.set(name, markOf(servers));
				reply(response, 200, {});
				return;
			}
			case 'stats': {
				reply(response, 200, statsSince(servers, marks.get(name) ?? markOf(servers)));
				return;
			}
			default: {
				reply(response, 404, {error: `unknown action ${JSON.stringify(match?.[2])}`});
			}
		}
	}

	const server = createServer((request, response) => {
		try {
			request.resume();
			handle(request, response);
		} catch (error) {
			reply(response, 400, {error: error instanceof Error ? error.message : String(error)});
		}
	});
	const origin = await listenOnLoopback(server);
	return {origin, close: async () => closeServer(server)};
}
