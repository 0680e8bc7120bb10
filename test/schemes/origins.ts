import {createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {startFaultProxy, type FaultProxy} from '../helpers/fault-proxy.js';

/** One request an origin received. */
export interface SeenRequest {
	readonly method: string;
	/** The full URL (the origin clients used, plus the request target as received). */
	readonly url: URL;
	/** The headers, names lowercased. */
	readonly headers: IncomingHttpHeaders;
	readonly body: string;
}

/** How an origin answers a request. */
export type Reply = (request: SeenRequest, response: ServerResponse) => void;

/** A real loopback HTTP origin that records every request. */
export interface Origin {
	/** `http://127.0.0.1:<port>`: what clients connect to (the watching proxy's port for a watched origin). */
	readonly origin: string;
	/** Every request, in arrival order. */
	readonly seen: SeenRequest[];
	/** How it answers from now on (`ok` until set). */
	reply: Reply;
	/** `origin + path`. */
	url(path: string): string;
	/** The requests to `path` (pathname only). */
	to(path: string): SeenRequest[];
	/**
	 * The request heads as they came over the wire (request line and header lines, latin1): only for an origin
	 * started with `watched`, whose clients connect through a pass-through proxy that reads the bytes.
	 */
	heads(): string[];
	close(): Promise<void>;
}

/** Answers 200 with the method and path. */
export const ok: Reply = (request, response) => {
	answer(response, 200, {method: request.method, path: request.url.pathname});
};

/** Writes a JSON answer. */
export function answer(response: ServerResponse, status: number, body: unknown = {}, headers: Record<string, string> = {}): void {
	response.writeHead(status, {'content-type': 'application/json', ...headers});
	response.end(JSON.stringify(body));
}

/** Answers with a redirect to `location`. */
export function redirect(response: ServerResponse, status: number, location: string): void {
	response.writeHead(status, {location});
	response.end();
}

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) {
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

const running: Array<() => Promise<void>> = [];

/** Closes every origin started so far (call in `afterEach`). */
export async function closeOrigins(): Promise<void> {
	await Promise.all(running.splice(0).map(async close => close()));
}

async function closeServer(server: Server): Promise<void> {
	return new Promise(resolve => {
		server.closeAllConnections();
		server.close(() => resolve());
	});
}

/**
 * Starts an origin on 127.0.0.1 (ephemeral port). With `watched`, clients reach it through the fault proxy in
 * `pass` mode, which records each request head byte for byte ({@link Origin.heads}).
 */
export async function startOrigin(options: {watched?: boolean; reply?: Reply} = {}): Promise<Origin> {
	let base = '';
	const seen: SeenRequest[] = [];
	const server = createServer((request, response) => {
		void readBody(request).then(body => {
			const entry: SeenRequest = {method: request.method ?? '', url: new URL(request.url ?? '/', base), headers: request.headers, body};
			seen.push(entry);
			state.reply(entry, response);
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	let proxy: FaultProxy | undefined;
	if (options.watched === true) {
		proxy = await startFaultProxy({host: '127.0.0.1', port});
	}
	base = proxy?.origin ?? `http://127.0.0.1:${port}`;
	const close = async (): Promise<void> => {
		await proxy?.close();
		await closeServer(server);
	};
	running.push(close);
	const state: Origin = {
		origin: base,
		seen,
		reply: options.reply ?? ok,
		url: path => `${base}${path}`,
		to: path => seen.filter(entry => entry.url.pathname === path),
		heads: () => proxy?.requests.map(entry => entry.head) ?? [],
		close,
	};
	return state;
}

/** A loopback origin nothing listens on (a server started on an ephemeral port, then closed). */
export async function refusedOrigin(): Promise<string> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	await closeServer(server);
	return `http://127.0.0.1:${port}`;
}
