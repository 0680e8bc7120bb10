/** Starts `server.ts` in a child process and talks to it over IPC (never over the measured HTTP pools). */
import {fork, type ChildProcess} from 'node:child_process';

export type {InitialTokens, ServerConfig, ServerStats} from './protocol.ts';
import type {InitialTokens, ServerConfig, ServerStats} from './protocol.ts';

export interface BenchServer {
	readonly origin: string;
	readonly apiUrl: string;
	readonly tokenUrl: string;
	reset(config: ServerConfig): Promise<InitialTokens>;
	/** Hold the next `hold` valid API requests, then revoke every token and answer them all 401. */
	arm(hold: number, timeoutMs: number): Promise<void>;
	revoke(): Promise<void>;
	stats(): Promise<ServerStats>;
	close(): Promise<void>;
}

const commandTimeoutMs = 10_000;

export async function startServer(): Promise<BenchServer> {
	const child: ChildProcess = fork(new URL('./server.ts', import.meta.url), [], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
	const pending = new Map<number, (value: unknown) => void>();
	let nextId = 1;

	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => {
			reject(new Error('bench server did not start within 10 s'));
		}, commandTimeoutMs);
		child.once('error', reject);
		child.once('exit', code => {
			reject(new Error(`bench server exited early (code ${code})`));
		});
		child.on('message', (message: {ready?: boolean; port?: number; id?: number; result?: unknown}) => {
			if (message.ready && message.port) {
				clearTimeout(timer);
				resolve(message.port);
			} else if (message.id !== undefined) {
				pending.get(message.id)?.(message.result);
				pending.delete(message.id);
			}
		});
	});

	async function command<T>(payload: Record<string, unknown>): Promise<T> {
		const id = nextId++;
		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => {
				pending.delete(id);
				reject(new Error(`bench server did not answer ${String(payload.type)} within ${commandTimeoutMs} ms`));
			}, commandTimeoutMs);
			pending.set(id, value => {
				clearTimeout(timer);
				resolve(value as T);
			});
			child.send({...payload, id});
		});
	}

	const origin = `http://127.0.0.1:${port}`;
	return {
		origin,
		apiUrl: `${origin}/api/item`,
		tokenUrl: `${origin}/token`,
		reset: async config => command<InitialTokens>({type: 'reset', config}),
		arm: async (hold, timeoutMs) => {
			await command({type: 'arm', hold, timeoutMs});
		},
		revoke: async () => {
			await command({type: 'revoke'});
		},
		stats: async () => command<ServerStats>({type: 'stats'}),
		close: async () => {
			if (child.exitCode !== null || child.signalCode !== null) {
				return;
			}
			const exited = new Promise<void>(resolve => {
				child.once('exit', () => {
					resolve();
				});
			});
			child.disconnect();
			const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
			await exited;
			clearTimeout(timer);
		},
	};
}
