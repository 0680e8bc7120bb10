import {createServer, connect, type Server, type Socket} from 'node:net';
import type {AddressInfo} from 'node:net';

/**
 * What the proxy does to a request it matched:
 * - `pass`: forwards both ways untouched (apart from `Connection: close`, see {@link startFaultProxy}).
 * - `stall`: accepts the connection, reads the request, never forwards it and never answers, until the
 *   client gives up, the mode changes (the connection is then destroyed) or the proxy closes.
 * - `reset-headers`: forwards the request, then sends the client only the first bytes of the response's
 *   status line and resets the connection.
 * - `reset-body`: forwards the request, then sends the client the response headers and part of the body
 *   (half of the first body chunk the server sent) and resets the connection.
 * - `trickle`: forwards both ways a few bytes at a time with a pause between slices.
 */
export type FaultMode = 'pass' | 'stall' | 'reset-headers' | 'reset-body' | 'trickle';

/** A request as the proxy saw it: from its request line and headers. */
export interface ProxiedRequest {
	/** `GET`, `POST`, … */
	readonly method: string;
	/** The request target: `/echo?i=1`. */
	readonly path: string;
	/** The whole request head (request line and headers, without the final blank line). */
	readonly head: string;
}

/** A request the proxy handled, and the mode it applied. */
export interface HandledRequest extends ProxiedRequest {
	readonly mode: FaultMode;
}

/** Chooses which requests a mode applies to; the others pass. Called once per request, in arrival order. */
export type RequestMatcher = (request: ProxiedRequest) => boolean;

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
	/**
	 * Bytes per slice in `trickle` mode.
	 * @default 16
	 */
	trickleBytes?: number;
	/**
	 * Milliseconds between slices in `trickle` mode.
	 * @default 5
	 */
	trickleDelay?: number;
	/**
	 * The longest request head the proxy reads before it gives up on the connection (destroys it).
	 * @default 65536
	 */
	maxHeadBytes?: number;
}

/** A running fault proxy. */
export interface FaultProxy {
	/** `http://127.0.0.1:<port>/`, to use as a `baseUrl`. */
	readonly url: string;
	/** `http://127.0.0.1:<port>`. */
	readonly origin: string;
	/** The proxy's own ephemeral port. */
	readonly port: number;
	/** Every request the proxy read, in arrival order, with the mode applied to it. */
	readonly requests: readonly HandledRequest[];
	/**
	 * Applies `mode` to the requests `match` accepts (every request without one) from now on; the others pass.
	 * Connections stalled so far are destroyed.
	 */
	setMode(mode: FaultMode, match?: RequestMatcher): void;
	/** Stops listening and destroys every connection (both sides) and every pending trickle. */
	close(): Promise<void>;
}

const headEnd = Buffer.from('\r\n\r\n');

function checkPositive(name: string, value: number | undefined, fallback: number): number {
	if (value === undefined) {
		return fallback;
	}
	if (!Number.isInteger(value) || value < 1) {
		throw new TypeError(`startFaultProxy: options.${name} must be a positive integer, got ${String(value)}`);
	}
	return value;
}

/** Replaces any `Connection`/`Keep-Alive` header of a request or response head with `Connection: close`. */
function closeAfterThis(head: string): string {
	const [first = '', ...headers] = head.split('\r\n');
	const kept = headers.filter(line => !/^(connection|keep-alive|proxy-connection)\s*:/i.test(line));
	return [first, ...kept, 'Connection: close'].join('\r\n');
}

function parseRequestHead(head: string): ProxiedRequest {
	const [method = '', path = ''] = (head.split('\r\n', 1)[0] ?? '').split(' ');
	return {method, path, head};
}

/** Reads bytes until a complete head (`\r\n\r\n`) arrived: then the head (latin1) and the bytes after it. */
class HeadReader {
	#buffer = Buffer.alloc(0);

	constructor(private readonly limit: number) {}

	/** `undefined` while incomplete; throws past the limit. */
	push(chunk: Buffer): {head: string; rest: Buffer} | undefined {
		this.#buffer = Buffer.concat([this.#buffer, chunk]);
		const end = this.#buffer.indexOf(headEnd);
		if (end === -1) {
			if (this.#buffer.length > this.limit) {
				throw new RangeError(`head longer than ${this.limit} bytes`);
			}
			return undefined;
		}
		return {head: this.#buffer.subarray(0, end).toString('latin1'), rest: this.#buffer.subarray(end + headEnd.length)};
	}
}

/**
 * Starts a TCP proxy on 127.0.0.1 (ephemeral port) in front of `target` that can stall, reset mid-headers or
 * mid-body, or trickle bytes, for the requests a matcher picks. Every connection carries exactly one request:
 * the proxy rewrites both heads to `Connection: close`, so a fault applies to one request, never to the
 * others a client would have sent on the same keep-alive connection.
 *
 * @example
 * ```ts
 * const proxy = await startFaultProxy({host: '127.0.0.1', port: 8080});
 * proxy.setMode('stall', request => request.method === 'POST' && request.path === '/token');
 * ```
 */
export async function startFaultProxy(target: {host: string; port: number}, options: FaultProxyOptions = {}): Promise<FaultProxy> {
	const trickleBytes = checkPositive('trickleBytes', options.trickleBytes, 16);
	const trickleDelay = checkPositive('trickleDelay', options.trickleDelay, 5);
	const maxHeadBytes = checkPositive('maxHeadBytes', options.maxHeadBytes, 65_536);
	const sockets = new Set<Socket>();
	const stalled = new Set<Socket>();
	const pauses = new Map<NodeJS.Timeout, () => void>();
	const requests: HandledRequest[] = [];
	let rule: {mode: FaultMode; match: RequestMatcher | undefined} = {mode: 'pass', match: undefined};
	let closed = false;

	const track = (socket: Socket): Socket => {
		sockets.add(socket);
		// small writes (trickled slices, cut-off bytes) go out as they are written
		socket.setNoDelay(true);
		socket.on('error', () => {
			socket.destroy();
		});
		socket.on('close', () => {
			sockets.delete(socket);
			stalled.delete(socket);
		});
		return socket;
	};

	/** Resolves after `trickleDelay` ms, or at once when the proxy closes. */
	const pause = async (): Promise<void> => new Promise(resolve => {
		const timer = setTimeout(() => {
			pauses.delete(timer);
			resolve();
		}, trickleDelay);
		pauses.set(timer, resolve);
	});

	/** Writes `data` to `socket` in slices of `trickleBytes`, one per `trickleDelay` ms; stops when the socket is gone. */
	const trickle = async (socket: Socket, data: Buffer): Promise<void> => {
		for (let offset = 0; offset < data.length; offset += trickleBytes) {
			if (socket.destroyed || closed) {
				return;
			}
			socket.write(data.subarray(offset, offset + trickleBytes));
			await pause();
		}
	};

	/** An ordered writer: `pass` writes at once, `trickle` queues slices behind earlier ones. */
	const writer = (socket: Socket, slow: boolean) => {
		let queue = Promise.resolve();
		return {
			write(data: Buffer): void {
				if (!slow) {
					socket.write(data);
					return;
				}
				queue = queue.then(async () => trickle(socket, data));
			},
			end(): void {
				if (!slow) {
					socket.end();
					return;
				}
				queue = queue.then(() => {
					socket.end();
				});
			},
		};
	};

	const forward = (client: Socket, request: ProxiedRequest, rest: Buffer, mode: Exclude<FaultMode, 'stall'>): void => {
		const upstream = track(connect(target.port, target.host));
		client.on('close', () => upstream.destroy());
		const toServer = writer(upstream, mode === 'trickle');
		const toClient = writer(client, mode === 'trickle');
		toServer.write(Buffer.from(`${closeAfterThis(request.head)}\r\n\r\n`, 'latin1'));
		if (rest.length > 0) {
			toServer.write(rest);
		}
		client.on('data', (chunk: Buffer) => {
			toServer.write(chunk);
		});
		client.resume();

		let faulted = false;
		let ended = false;
		const reset = (data: Buffer): void => {
			faulted = true;
			upstream.destroy();
			client.write(data, () => {
				client.resetAndDestroy();
			});
		};
		const responseHead = new HeadReader(maxHeadBytes);
		let headSent = false;
		upstream.on('data', (chunk: Buffer) => {
			if (faulted) {
				return;
			}
			if (mode === 'reset-headers') {
				reset(chunk.subarray(0, Math.min(chunk.length, 12)));
				return;
			}
			if (headSent) {
				if (mode === 'reset-body') {
					reset(chunk.subarray(0, Math.floor(chunk.length / 2)));
					return;
				}
				toClient.write(chunk);
				return;
			}
			let parsed;
			try {
				parsed = responseHead.push(chunk);
			} catch {
				client.destroy();
				upstream.destroy();
				return;
			}
			if (!parsed) {
				return;
			}
			headSent = true;
			const head = Buffer.from(`${closeAfterThis(parsed.head)}\r\n\r\n`, 'latin1');
			if (mode === 'reset-body') {
				if (parsed.rest.length > 0) {
					reset(Buffer.concat([head, parsed.rest.subarray(0, Math.floor(parsed.rest.length / 2))]));
				} else {
					toClient.write(head);
				}
				return;
			}
			toClient.write(head);
			if (parsed.rest.length > 0) {
				toClient.write(parsed.rest);
			}
		});
		upstream.on('end', () => {
			ended = true;
			if (faulted) {
				return;
			}
			if (mode === 'reset-body' || mode === 'reset-headers') {
				// The server ended before the fault could be cut in: still never a complete answer.
				client.resetAndDestroy();
				return;
			}
			toClient.end();
		});
		upstream.on('close', () => {
			// The server went away without ending its answer (or could not be reached): so does the client's.
			if (!ended && !faulted) {
				client.destroy();
			}
		});
	};

	const server: Server = createServer(client => {
		track(client);
		const head = new HeadReader(maxHeadBytes);
		const onData = (chunk: Buffer): void => {
			let parsed;
			try {
				parsed = head.push(chunk);
			} catch {
				client.destroy();
				return;
			}
			if (!parsed) {
				return;
			}
			client.off('data', onData);
			client.pause();
			const request = parseRequestHead(parsed.head);
			const mode = rule.match === undefined || rule.match(request) ? rule.mode : 'pass';
			requests.push({...request, mode});
			if (mode === 'stall') {
				stalled.add(client);
				// Reads (and drops) the rest of the request; never answers.
				client.resume();
				return;
			}
			forward(client, request, parsed.rest, mode);
		};
		client.on('data', onData);
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const {port} = server.address() as AddressInfo;
	const origin = `http://127.0.0.1:${port}`;
	return {
		url: `${origin}/`,
		origin,
		port,
		requests,
		setMode(mode, match) {
			rule = {mode, match};
			for (const socket of stalled) {
				socket.destroy();
			}
			stalled.clear();
		},
		async close() {
			closed = true;
			for (const [timer, resolve] of pauses) {
				clearTimeout(timer);
				resolve();
			}
			pauses.clear();
			for (const socket of sockets) {
				socket.destroy();
			}
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}
