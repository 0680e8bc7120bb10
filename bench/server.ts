/**
 * The benchmark's API and token server: plain `node:http` on 127.0.0.1, ephemeral port, keep-alive.
 *
 * Runs as a child process started by `server-control.ts` (fork, commands over IPC), so its CPU time
 * never counts against the client being measured and each side gets one of the machine's two cores.
 *
 * - `GET /api/item` needs `Authorization: Bearer <token>` for a token it issued that is neither
 *   revoked nor expired; answers `{"ok":true}` or 401 with `WWW-Authenticate: Bearer error="invalid_token"`.
 * - `POST /token` answers a new token set after `tokenLatencyMs` (a refresh_token grant; no rotation,
 *   so recipes that refresh once per request are charged for their calls, not failed for reuse).
 * - IPC commands: `reset` (fresh counters and one initial token), `arm` (hold the next N valid API
 *   requests, then revoke every issued token and answer all of them 401: N requests in flight at the
 *   moment of revocation), `revoke`, `stats`.
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Command, ServerConfig, ServerStats} from './protocol.ts';

interface Issued {
	expiresAt: number;
	revoked: boolean;
}

const okBody = Buffer.from('{"ok":true}');
const deniedBody = Buffer.from('{"error":"invalid_token"}');

let config: ServerConfig = {tokenLatencyMs: 50, initialLifetimeMs: 3_600_000, refreshedLifetimeS: 3600};
let generation = 0;
let serial = 0;
let tokens = new Map<string, Issued>();
let counters = freshCounters();
let inflightTokenCalls = 0;
let gate: {hold: number; held: ServerResponse[]; timer: NodeJS.Timeout} | undefined;

function freshCounters(): ServerStats {
	return {
		apiRequests: 0, ok: 0, unauthorized: 0, expiredSends: 0, revokedSends: 0, unknownSends: 0,
		tokenCalls: 0, peakConcurrentTokenCalls: 0, initialExpiresAt: 0, gateTimedOut: false, gateHeld: 0, revokedAt: 0,
	};
}

function issue(lifetimeMs: number): {accessToken: string; refreshToken: string; expiresAt: number} {
	serial++;
	const accessToken = `at-${generation}-${serial}-${Math.random().toString(36).slice(2, 12)}`;
	const expiresAt = Date.now() + lifetimeMs;
	tokens.set(accessToken, {expiresAt, revoked: false});
	return {accessToken, refreshToken: `rt-${generation}-${serial}`, expiresAt};
}

function revokeAll(): void {
	for (const entry of tokens.values()) {
		entry.revoked = true;
	}
	counters.revokedAt = Date.now();
}

function send(res: ServerResponse, status: number, body: Buffer, extra?: Record<string, string>): void {
	res.writeHead(status, {'content-type': 'application/json', 'content-length': body.length, ...extra});
	res.end(body);
}

function deny(res: ServerResponse): void {
	counters.unauthorized++;
	send(res, 401, deniedBody, {'www-authenticate': 'Bearer error="invalid_token"'});
}

function releaseGate(timedOut: boolean): void {
	const current = gate;
	if (!current) {
		return;
	}
	gate = undefined;
	clearTimeout(current.timer);
	counters.gateTimedOut = timedOut;
	counters.gateHeld = current.held.length;
	revokeAll();
	for (const res of current.held) {
		counters.revokedSends++;
		deny(res);
	}
}

function handleApi(req: IncomingMessage, res: ServerResponse): void {
	counters.apiRequests++;
	const header = req.headers.authorization ?? '';
	const token = header.startsWith('Bearer ') ? header.slice(7) : '';
	const entry = tokens.get(token);
	if (!entry) {
		counters.unknownSends++;
		deny(res);
		return;
	}
	if (entry.revoked) {
		counters.revokedSends++;
		deny(res);
		return;
	}
	if (Date.now() >= entry.expiresAt) {
		counters.expiredSends++;
		deny(res);
		return;
	}
	if (gate) {
		gate.held.push(res);
		if (gate.held.length >= gate.hold) {
			releaseGate(false);
		}
		return;
	}
	counters.ok++;
	send(res, 200, okBody);
}

function handleToken(res: ServerResponse): void {
	counters.tokenCalls++;
	inflightTokenCalls++;
	counters.peakConcurrentTokenCalls = Math.max(counters.peakConcurrentTokenCalls, inflightTokenCalls);
	setTimeout(() => {
		inflightTokenCalls--;
		const issued = issue(config.refreshedLifetimeS * 1000);
		const body = Buffer.from(JSON.stringify({
			access_token: issued.accessToken,
			token_type: 'Bearer',
			expires_in: config.refreshedLifetimeS,
			refresh_token: issued.refreshToken,
		}));
		send(res, 200, body);
	}, config.tokenLatencyMs);
}

const server = createServer({keepAlive: true, keepAliveTimeout: 30_000, requestTimeout: 60_000}, (req, res) => {
	req.resume();
	const url = req.url ?? '';
	if (req.method === 'GET' && url.startsWith('/api/')) {
		handleApi(req, res);
	} else if (req.method === 'POST' && url === '/token') {
		req.once('end', () => {
			handleToken(res);
		});
	} else {
		send(res, 404, Buffer.from('{"error":"not_found"}'));
	}
});
server.keepAliveTimeout = 30_000;

function handleCommand(command: Command): unknown {
	switch (command.type) {
		case 'reset': {
			releaseGate(false);
			config = command.config;
			generation++;
			tokens = new Map();
			counters = freshCounters();
			const initial = issue(config.initialLifetimeMs);
			counters.initialExpiresAt = initial.expiresAt;
			return initial;
		}
		case 'arm': {
			releaseGate(false);
			gate = {hold: command.hold, held: [], timer: setTimeout(() => {
				releaseGate(true);
			}, command.timeoutMs)};
			return {armed: command.hold};
		}
		case 'revoke': {
			revokeAll();
			return {revokedAt: counters.revokedAt};
		}
		case 'stats': {
			return {...counters};
		}
	}
}

process.on('message', (message: Command) => {
	const result = handleCommand(message);
	process.send?.({id: message.id, result});
});
// The parent is gone (or dropped the channel): stop, never linger.
process.on('disconnect', () => {
	server.closeAllConnections();
	server.close();
	process.exit(0);
});

server.listen({port: 0, host: '127.0.0.1', backlog: 4096}, () => {
	const {port} = server.address() as AddressInfo;
	process.send?.({ready: true, port});
});
