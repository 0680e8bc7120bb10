import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {deferred, type Deferred} from '../helpers/deferred.js';
import {TokenLedger} from './token-ledger.js';

/** What the server counted since the last {@link TokenServer.resetCounters}. */
export interface Counters {
	/** Refresh grants answered with new tokens. */
	grants: number;
	/** Spent refresh tokens presented again (each revoked its whole family). */
	reuses: number;
	/** Refresh attempts refused for another reason (unknown or revoked token). */
	refused: number;
	apiOk: number;
	api401: number;
	/** API requests whose token belonged to another user than the one the page sent them as. */
	crossUser: number;
}

const emptyCounters = (): Counters => ({grants: 0, reuses: 0, refused: 0, apiOk: 0, api401: 0, crossUser: 0});

/** Token requests held until the test releases them (see {@link TokenServer.hold}). */
export interface Hold {
	/** Resolves once `count` token requests are waiting. */
	arrived(count: number): Promise<void>;
	/** Lets every held (and later) token request through, and ends the hold. */
	release(): void;
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) {
		chunks.push(chunk as Buffer);
	}
	const text = Buffer.concat(chunks).toString('utf8');
	return text === '' ? {} : JSON.parse(text) as Record<string, unknown>;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	response.writeHead(status, {'content-type': 'application/json', 'cache-control': 'no-store', ...headers});
	response.end(JSON.stringify(body));
}

/**
 * A node:http server on 127.0.0.1 for the multi-page tests: the page (HTML + bundled script), a login
 * endpoint, a token endpoint with refresh-token rotation and reuse detection (see {@link TokenLedger}),
 * answering after `delay` ms, and an API that checks bearer tokens. It runs in the test process, so the
 * test drives it directly: counters, revocation, holding grants.
 */
export class TokenServer {
	readonly ledger = new TokenLedger();
	counters: Counters = emptyCounters();
	/** Milliseconds the token endpoint takes to answer. */
	delay = 150;
	/** Lifetime in seconds of the access tokens issued from now on. */
	lifetime = 300;
	origin = '';
	#server = createServer((request, response) => {
		this.#handle(request, response).catch((error: unknown) => send(response, 500, {error: String(error)}));
	});

	#held: Array<Deferred<void>> = [];
	#holding = false;
	#arrivals: Array<{count: number; reached: Deferred<void>}> = [];

	constructor(readonly page: {html: string; script: string}) {}

	async start(): Promise<this> {
		await new Promise<void>(resolve => this.#server.listen(0, '127.0.0.1', resolve));
		this.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
		return this;
	}

	async close(): Promise<void> {
		this.hold().release();
		this.#server.closeAllConnections();
		await new Promise(resolve => this.#server.close(resolve));
	}

	resetCounters(): Counters {
		const previous = this.counters;
		this.counters = emptyCounters();
		return previous;
	}

	/** From now on token requests wait until `release()`: controlled by the test, no sleeps. */
	hold(): Hold {
		this.#holding = true;
		return {
			arrived: async count => {
				if (this.#held.length >= count) {
					return;
				}
				const reached = deferred<void>();
				this.#arrivals.push({count, reached});
				return reached.promise;
			},
			release: () => {
				this.#holding = false;
				this.#arrivals = [];
				for (const waiting of this.#held.splice(0)) {
					waiting.resolve();
				}
			},
		};
	}

	async #token(body: Record<string, unknown>, response: ServerResponse): Promise<void> {
		if (this.#holding) {
			const waiting = deferred<void>();
			this.#held.push(waiting);
			for (const arrival of this.#arrivals.filter(({count}) => this.#held.length >= count)) {
				arrival.reached.resolve();
			}
			await waiting.promise;
		}
		const outcome = this.ledger.spend(typeof body.refresh_token === 'string' ? body.refresh_token : '', this.lifetime);
		this.counters[outcome.kind === 'granted' ? 'grants' : outcome.kind === 'reuse' ? 'reuses' : 'refused']++;
		await new Promise(resolve => setTimeout(resolve, this.delay));
		if (outcome.kind === 'granted') {
			send(response, 200, outcome.tokens);
		} else {
			send(response, 400, {error: 'invalid_grant'});
		}
	}

	#api(request: IncomingMessage, response: ServerResponse): void {
		const [scheme, token] = (request.headers.authorization ?? '').split(' ');
		const user = scheme === 'Bearer' && token ? this.ledger.userOfValidAccess(token) : undefined;
		if (user === undefined) {
			this.counters.api401++;
			send(response, 401, {error: 'invalid_token'}, {'www-authenticate': 'Bearer error="invalid_token"'});
			return;
		}
		const as = request.headers['x-as-user'];
		if (typeof as === 'string' && as !== user) {
			this.counters.crossUser++;
		}
		this.counters.apiOk++;
		send(response, 200, {user});
	}

	async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const {pathname, searchParams} = new URL(request.url ?? '/', 'http://x');
		if (pathname === '/') {
			response.writeHead(200, {'content-type': 'text/html'}).end(this.page.html);
		} else if (pathname === '/page.js') {
			response.writeHead(200, {'content-type': 'text/javascript'}).end(this.page.script);
		} else if (pathname === '/login' && request.method === 'POST') {
			send(response, 200, this.ledger.signIn(searchParams.get('user') ?? 'A', this.lifetime));
		} else if (pathname === '/token' && request.method === 'POST') {
			await this.#token(await readBody(request), response);
		} else if (pathname === '/api') {
			this.#api(request, response);
		} else {
			send(response, 404, {error: 'not_found'});
		}
	}
}
