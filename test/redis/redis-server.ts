import {type ChildProcess, execFileSync, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {createServer, Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** Where redis-server is: `$REDIS_SERVER`, else on the PATH (CI installs Debian's package: /usr/bin/redis-server). */
function findRedisServer(): string | undefined {
	if (process.env.REDIS_SERVER) {
		return existsSync(process.env.REDIS_SERVER) ? process.env.REDIS_SERVER : undefined;
	}
	try {
		return execFileSync('sh', ['-c', 'command -v redis-server'], {encoding: 'utf8'}).trim() || undefined;
	} catch {
		return undefined;
	}
}

/** The redis-server binary the tests run. */
export const redisServerPath = findRedisServer();

/** Why the Redis tests cannot run here, or `undefined` when they can: put it in the skipped suite's title. */
export const redisMissing = redisServerPath !== undefined
	? undefined
	: process.env.REDIS_SERVER
		? `REDIS_SERVER is ${process.env.REDIS_SERVER}, which does not exist`
		: 'no redis-server on the PATH (install it: apt-get install redis-server, or set REDIS_SERVER)';

/** A free TCP port on 127.0.0.1 (the OS picks it; released before redis-server binds it). */
async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise(resolve => server.close(resolve));
	if (address === null || typeof address === 'string') {
		throw new Error('no port');
	}
	return address.port;
}

/** Sends PING and resolves on PONG (RESP2 inline command). */
async function ping(port: number): Promise<void> {
	const socket = new Socket();
	try {
		await new Promise<void>((resolve, reject) => {
			let reply = '';
			socket.once('error', reject);
			socket.on('data', chunk => {
				reply += chunk.toString('utf8');
				if (reply.includes('\r\n')) {
					if (reply.startsWith('+PONG')) {
						resolve();
					} else {
						reject(new Error(`redis-server answered PING with ${reply.trim()}`));
					}
				}
			});
			socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
		});
	} finally {
		socket.destroy();
	}
}

/**
 * A real redis-server for one test file, on a free loopback port, with nothing persisted (`--save ''
 * --appendonly no`, in a temporary directory). {@link stop} and {@link start} again on the same port stand for an
 * outage.
 */
export class RedisServer {
	readonly port: number;
	readonly #extra: readonly string[];
	readonly #directory = mkdtempSync(join(tmpdir(), 'ky-auth-redis-'));
	#process: ChildProcess | undefined;
	#output = '';

	private constructor(port: number, extra: readonly string[]) {
		this.port = port;
		this.#extra = extra;
	}

	/** Starts a redis-server on a free port (with `extra` arguments) and waits until it answers PING. */
	static async launch(extra: readonly string[] = []): Promise<RedisServer> {
		const server = new RedisServer(await freePort(), extra);
		await server.start();
		return server;
	}

	get url(): string {
		return `redis://127.0.0.1:${this.port}`;
	}

	/** Starts it (again, on the same port); resolves once it logged that it is ready and answered PING. */
	async start(): Promise<void> {
		if (!redisServerPath) {
			throw new Error(redisMissing);
		}
		const child = spawn(redisServerPath, [
			'--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.#directory,
			'--protected-mode', 'no', '--loglevel', 'notice', ...this.#extra,
		], {stdio: ['ignore', 'pipe', 'pipe']});
		this.#process = child;
		this.#output = '';
		await new Promise<void>((resolve, reject) => {
			const onData = (chunk: Buffer): void => {
				this.#output += chunk.toString('utf8');
				if (this.#output.includes('Ready to accept connections')) {
					child.stdout?.off('data', onData);
					child.off('exit', onExit);
					resolve();
				}
			};
			const onExit = (code: number | null): void => {
				reject(new Error(`redis-server exited with ${code} before it was ready:\n${this.#output}`));
			};
			child.stdout?.on('data', onData);
			child.stderr?.on('data', (chunk: Buffer) => {
				this.#output += chunk.toString('utf8');
			});
			child.once('exit', onExit);
		});
		await ping(this.port);
	}

	/** Stops it (SIGTERM: nothing to save) and waits until the process exited. */
	async stop(): Promise<void> {
		const child = this.#process;
		this.#process = undefined;
		if (!child || child.exitCode !== null) {
			return;
		}
		await new Promise<void>(resolve => {
			child.once('exit', () => resolve());
			child.kill('SIGCONT');
			child.kill('SIGTERM');
		});
	}

	/** Freezes the server (SIGSTOP): connections stay open, nothing is answered, commands pile up. */
	pause(): void {
		this.#process?.kill('SIGSTOP');
	}

	/** Lets a paused server run again (SIGCONT): it answers everything that piled up, in order. */
	resume(): void {
		this.#process?.kill('SIGCONT');
	}

	/** Stops it and removes its directory. */
	async close(): Promise<void> {
		await this.stop();
		rmSync(this.#directory, {recursive: true, force: true});
	}
}
