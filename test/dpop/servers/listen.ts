import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {answerCors, type CorsController} from './cors.js';
import type {NonceSource} from './nonces.js';
import type {ProofPolicy} from './proof-policy.js';

/** Listens on 127.0.0.1 on an ephemeral port; resolves to the origin (`http://127.0.0.1:<port>`). */
export async function listenOnLoopback(server: Server): Promise<string> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address: string | AddressInfo | null = server.address();
	if (address === null || typeof address === 'string') throw new Error(`listenOnLoopback: expected a TCP address, got ${String(address)}`);
	return `http://127.0.0.1:${address.port}`;
}

/** Closes the server and every connection it still has (keep-alive ones included). */
export async function closeServer(server: Server): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		server.close(error => (error ? reject(error) : resolve()));
		server.closeAllConnections();
	});
}

/**
 * Starts a server for `handle` on loopback: a handler that throws answers 500 (with the server's `Date`) naming
 * `name`. With `cors`, every answer carries the CORS headers and preflights are answered before `handle`
 * (which never sees them). Also gives the current nonce, or throws when nonces are off.
 */
export async function serveOnLoopback(
	name: string,
	policy: ProofPolicy,
	cors: CorsController | undefined,
	handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Promise<{server: Server; origin: string; nonce: () => NonceSource}> {
	const server = createServer((request, response) => {
		if (cors !== undefined && answerCors(cors, request, response)) return;
		handle(request, response).catch((error: unknown) => {
			response.sendDate = false;
			response.writeHead(500, {date: policy.clock.httpDate(), 'content-type': 'text/plain'});
			response.end(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
		});
	});
	const origin = await listenOnLoopback(server);
	const nonce = (): NonceSource => {
		if (policy.nonce === undefined) throw new Error(`${name}: nonces are off (pass requireNonce: true)`);
		return policy.nonce;
	};
	return {server, origin, nonce};
}
