import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {deferred, type Deferred} from '../helpers/deferred.js';

/** What the replicas' shared backend counted since the last {@link ReplicaServer.resetCounters}. */
export interface ReplicaCounters {
	/** Token-endpoint calls, by the replica that made each (its `x-replica` header). */
	tokenCalls: number[];
	/** Refresh tokens presented again after they were spent (a rotating refresh token spent twice). */
	reuses: number;
	apiOk: number;
	api401: number;
}

const emptyCounters = (): ReplicaCounters => ({tokenCalls: [], reuses: 0, apiOk: 0, api401: 0});

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) {
		chunks.push(chunk as Buffer);
	}
	const text = Buffer.concat(chunks).toString('utf8');
	return text === '' ? {} : JSON.parse(text) as Record<string, unknown>;
}

function send(response: ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, {'content-type': 'application/json', 'cache-control': 'no-store'});
	response.end(JSON.stringify(body));
}

/**
 * The backend every replica process talks to, in the test process: a token endpoint with refresh-token rotation
 * (each refresh token is good once; presenting it again counts as a reuse and is refused) and an API that accepts
 * only access tokens issued since the last {@link revokeAccess}. It can hold the next token request unanswered
 * (a refresh in flight whose process is then killed).
 */
export class ReplicaServer {
	counters = emptyCounters();
	origin = '';
	readonly #access = new Set<string>();
	/** Refresh tokens: `true` while they can be spent. */
	readonly #refresh = new Map<string, boolean>();
	#issued = 0;
	#hold: Deferred<number> | undefined;
	/**
	 * Node closes a keep-alive connection idle for 5 s by default. A replica starved of CPU (a busy machine) may
	 * pick such a connection for its next request before it has read the close: the request fails with
	 * `TypeError: fetch failed` (cause `SocketError: other side closed`), a failure of this test server, not of
	 * the library. Here idle connections stay open (the client closes them) and no request is timed out by the
	 * server: the test's own limits bound every wait.
	 */
	readonly #server = createServer({keepAliveTimeout: 0, headersTimeout: 0, requestTimeout: 0}, (request, response) => {
		this.#handle(request, response).catch((error: unknown) => send(response, 500, {error: String(error)}));
	});

	async start(): Promise<this> {
		// 16 replicas open up to 200 connections each at once: more than the default backlog (511).
		await new Promise<void>(resolve => this.#server.listen({port: 0, host: '127.0.0.1', backlog: 4096}, resolve));
		this.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
		return this;
	}

	async close(): Promise<void> {
		this.#server.closeAllConnections();
		await new Promise(resolve => this.#server.close(resolve));
	}

	/** New tokens, as a login would give them (`expiresIn` seconds). */
	issue(): {accessToken: string; refreshToken: string; expiresIn: number} {
		this.#issued++;
		const accessToken = `access-${this.#issued}`;
		const refreshToken = `refresh-${this.#issued}`;
		this.#access.add(accessToken);
		this.#refresh.set(refreshToken, true);
		return {accessToken, refreshToken, expiresIn: 3600};
	}

	/** The API stops accepting every access token issued so far. */
	revokeAccess(): void {
		this.#access.clear();
	}

	resetCounters(): ReplicaCounters {
		const counters = this.counters;
		this.counters = emptyCounters();
		return counters;
	}

	/** Holds the next token request without answering (nor spending its refresh token); resolves with the replica that sent it. */
	holdNextTokenRequest(): Promise<number> {
		this.#hold = deferred<number>();
		return this.#hold.promise;
	}

	async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const path = new URL(request.url ?? '/', this.origin).pathname;
		if (path === '/token') {
			const body = await readJson(request);
			const replica = Number(request.headers['x-replica']);
			this.counters.tokenCalls.push(replica);
			const hold = this.#hold;
			if (hold) {
				this.#hold = undefined;
				hold.resolve(replica);
				return; // never answered: the replica is killed while it waits
			}
			const presented = typeof body.refreshToken === 'string' ? body.refreshToken : '';
			if (this.#refresh.get(presented) !== true) {
				if (this.#refresh.has(presented)) {
					this.counters.reuses++;
				}
				send(response, 400, {error: 'invalid_grant'});
				return;
			}
			this.#refresh.set(presented, false);
			const tokens = this.issue();
			send(response, 200, {access_token: tokens.accessToken, refresh_token: tokens.refreshToken, expires_in: tokens.expiresIn, token_type: 'Bearer'});
			return;
		}
		const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
		if (this.#access.has(token)) {
			this.counters.apiOk++;
			send(response, 200, {ok: true});
		} else {
			this.counters.api401++;
			response.writeHead(401, {'www-authenticate': 'Bearer error="invalid_token"'});
			response.end();
		}
	}
}
