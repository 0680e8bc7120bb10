/**
 * The fault proxy itself, byte by byte: a raw TCP client in front of it, a node:http server behind it.
 * What each mode puts on the wire is what the tests through it rely on.
 */
import {once} from 'node:events';
import {createServer, type IncomingMessage, type Server} from 'node:http';
import {connect, type AddressInfo, type Socket} from 'node:net';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {startFaultProxy, type FaultProxy} from '../helpers/fault-proxy.js';

const body = JSON.stringify({text: 'x'.repeat(300)});

let server: Server;
let seen: Array<{method: string; url: string; connection: string | undefined; body: string}>;
let proxy: FaultProxy;

async function readAll(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) {
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

beforeEach(async () => {
	seen = [];
	server = createServer((request, response) => {
		void readAll(request).then(text => {
			seen.push({method: request.method ?? '', url: request.url ?? '', connection: request.headers.connection, body: text});
			response.writeHead(200, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)});
			response.end(body);
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	proxy = await startFaultProxy({host: '127.0.0.1', port: (server.address() as AddressInfo).port});
});

afterEach(async () => {
	await proxy.close();
	server.closeAllConnections();
	server.close();
	await once(server, 'close');
});

/** Resolves when the socket closed, however (`once` would reject on its 'error' first). */
async function closing(socket: Socket): Promise<void> {
	return new Promise(resolve => {
		socket.once('close', () => {
			resolve();
		});
	});
}

/** Sends one raw keep-alive request and collects every chunk until the proxy closes the connection. */
async function exchange(method: string, path: string, requestBody = '') {
	const socket = connect(proxy.port, '127.0.0.1');
	const chunks: Buffer[] = [];
	let error: Error | undefined;
	socket.on('data', (chunk: Buffer) => chunks.push(chunk));
	socket.on('error', (caught: Error) => {
		error = caught;
	});
	const closed = closing(socket);
	socket.write(`${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Length: ${Buffer.byteLength(requestBody)}\r\n\r\n${requestBody}`);
	await closed;
	const text = Buffer.concat(chunks).toString('utf8');
	return {chunks: chunks.length, text, error, socket};
}

function split(text: string): {head: string; responseBody: string} {
	const end = text.indexOf('\r\n\r\n');
	return end === -1 ? {head: text, responseBody: ''} : {head: text.slice(0, end), responseBody: text.slice(end + 4)};
}

describe('fault proxy', () => {
	it('pass: the whole answer, one request per connection (Connection: close both ways)', async () => {
		const result = await exchange('POST', '/echo', 'hello');
		const {head, responseBody} = split(result.text);
		expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
		expect(head).toMatch(/\r\nConnection: close$/);
		expect(responseBody).toBe(body);
		expect(seen).toEqual([{method: 'POST', url: '/echo', connection: 'close', body: 'hello'}]);
		expect(proxy.requests).toEqual([expect.objectContaining({method: 'POST', path: '/echo', mode: 'pass'})]);
	});

	it('trickle: the request and the answer arrive intact, the answer in many small pieces', async () => {
		proxy.setMode('trickle');
		const requestBody = `{"a":"${'ü'.repeat(100)}"}`;
		const result = await exchange('POST', '/echo', requestBody);
		expect(split(result.text).responseBody).toBe(body);
		expect(result.chunks).toBeGreaterThan(2);
		expect(seen[0]?.body).toBe(requestBody);
	});

	it('reset-headers: the server answered, the client got only the start of the status line, then a reset', async () => {
		proxy.setMode('reset-headers');
		const result = await exchange('GET', '/echo');
		expect(seen).toHaveLength(1);
		expect(result.text).toBe('HTTP/1.1 200');
		expect(result.error).toMatchObject({code: 'ECONNRESET'});
	});

	it('reset-body: the headers and part of the body, never all of it', async () => {
		proxy.setMode('reset-body');
		const result = await exchange('GET', '/echo');
		const {head, responseBody} = split(result.text);
		expect(head).toContain(`content-length: ${Buffer.byteLength(body)}`);
		expect(responseBody.length).toBeGreaterThan(0);
		expect(responseBody.length).toBeLessThan(body.length);
		expect(body.startsWith(responseBody)).toBe(true);
		expect(result.error).toMatchObject({code: 'ECONNRESET'});
	});

	it('stall: the request is read and never forwarded nor answered; a mode change destroys the connection', async () => {
		proxy.setMode('stall', request => request.path === '/slow');
		const socket = connect(proxy.port, '127.0.0.1');
		const received: Buffer[] = [];
		socket.on('data', (chunk: Buffer) => received.push(chunk));
		socket.on('error', () => undefined);
		const closed = closing(socket);
		socket.write('POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc');
		// a request the matcher does not pick passes meanwhile
		expect(split((await exchange('GET', '/fast')).text).responseBody).toBe(body);
		expect(proxy.requests.map(request => [request.path, request.mode])).toEqual([['/slow', 'stall'], ['/fast', 'pass']]);
		proxy.setMode('pass');
		await closed;
		expect(received).toEqual([]);
		expect(seen.map(entry => entry.url)).toEqual(['/fast']);
	});

	it('close() destroys every connection, stalled ones too', async () => {
		proxy.setMode('stall');
		const socket = connect(proxy.port, '127.0.0.1');
		socket.on('error', () => undefined);
		const closed = closing(socket);
		socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
		await once(socket, 'ready');
		await proxy.close();
		await closed;
		expect(socket.destroyed).toBe(true);
	});

	it('rejects a bad trickle option with a TypeError naming it', async () => {
		await expect(startFaultProxy({host: '127.0.0.1', port: 1}, {trickleBytes: 0})).rejects.toThrow(/options\.trickleBytes must be a positive integer, got 0/);
	});
});
