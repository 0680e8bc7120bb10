import {Redis} from 'ioredis';
import {createClient} from 'redis';
import type {RedisClient} from '../../src/redis/index.js';

/** A connected client of one library and protocol, plus raw access for the test's own checks. */
export interface TestClient {
	readonly client: RedisClient;
	/** Sends a command outside the store (to look at or tamper with keys). */
	raw(...args: string[]): Promise<unknown>;
	/** Resolves once the client is ready again (after the server came back). */
	ready(): Promise<void>;
	/** The client, seen through a proxy that reports every command the store sends on it, with its reply. */
	observed(onReply: (command: readonly string[], reply: unknown) => void): RedisClient;
	close(): Promise<void>;
	/** Connects the client again after {@link close}. */
	reopen(): Promise<void>;
}

/** One client library with one RESP version. */
export interface Flavour {
	readonly name: string;
	connect(port: number): Promise<TestClient>;
}

/** `client` with its method `method` wrapped to report each command (as one array) and its reply. */
function observe<T extends object>(client: T, method: string, toCommand: (args: unknown[]) => string[], onReply: (command: readonly string[], reply: unknown) => void): T {
	return new Proxy(client, {
		get(target, property) {
			const value: unknown = Reflect.get(target, property, target);
			if (typeof value !== 'function') {
				return value;
			}
			if (property !== method) {
				return value.bind(target);
			}
			return async (...args: unknown[]) => {
				const reply: unknown = await value.apply(target, args);
				onReply(toCommand(args), reply);
				return reply;
			};
		},
	});
}

/** Reconnect quickly in tests (a restarted server is back within milliseconds). */
const reconnectDelay = 20;

function ioredis(protocol: 2 | 3): Flavour {
	return {
		name: `ioredis RESP${protocol}`,
		async connect(port) {
			const client = new Redis({host: '127.0.0.1', port, protocol, retryStrategy: () => reconnectDelay, lazyConnect: true});
			// An outage is expected in some tests: the store reports it, the client need not log it.
			client.on('error', () => undefined);
			await client.connect();
			return {
				client,
				raw: async (command, ...args) => client.call(command ?? '', ...args),
				observed: onReply => observe(client, 'call', args => args.map(String), onReply),
				ready: async () => {
					if (client.status !== 'ready') {
						await new Promise(resolve => client.once('ready', resolve));
					}
				},
				close: async () => {
					client.disconnect();
				},
				reopen: async () => {
					await client.connect();
				},
			};
		},
	};
}

function nodeRedis(protocol: 2 | 3): Flavour {
	return {
		name: `node-redis RESP${protocol}`,
		async connect(port) {
			const client = createClient({url: `redis://127.0.0.1:${port}`, RESP: protocol, socket: {reconnectStrategy: () => reconnectDelay}});
			client.on('error', () => undefined);
			await client.connect();
			return {
				client,
				raw: async (...args) => client.sendCommand(args),
				observed: onReply => observe(client, 'sendCommand', args => (args[0] as string[]), onReply),
				ready: async () => {
					if (!client.isReady) {
						await new Promise(resolve => client.once('ready', resolve));
					}
				},
				close: async () => {
					client.destroy();
				},
				reopen: async () => {
					await client.connect();
				},
			};
		},
	};
}

/** Both libraries, both protocols (ioredis 6 and node-redis 6 default to RESP3). */
export const flavours: readonly Flavour[] = [ioredis(2), ioredis(3), nodeRedis(2), nodeRedis(3)];

/** One of each library (for the slower tests). */
export const libraries: readonly Flavour[] = [ioredis(3), nodeRedis(3)];
