import {type ChildProcess, spawn} from 'node:child_process';
import type {EventEmitter} from 'node:events';
import {createInterface} from 'node:readline';
import {afterAll, beforeAll, describe, expect, it, onTestFinished} from 'vitest';
import {createAuthSession} from '../../src/index.js';
import {redisStore, type RedisClient, type RedisTokenStore} from '../../src/redis/index.js';
import {deferred, flush} from '../helpers/deferred.js';
import {bundleScript} from './bundle.js';
import {flavours, type TestClient} from './clients.js';
import type {ShutdownMode, ShutdownReport} from './fixtures/shutdown-child.js';
import {RedisServer, redisMissing} from './redis-server.js';
import {within} from './within.js';

// Issue 18: a Node script that uses redisStore must exit by itself once it has shut down as the docs say
// (session.dispose(), then the client's own quit()/close()), and also when it only closes its client: the
// store's subscriber connection (a duplicate of the client) follows the client's end. Each case runs the script
// (fixtures/shutdown-child.ts) as its own Node process against a real redis-server and waits for it to exit.
// The control keeps its client open: that process must still be running after several heartbeats, which shows
// the wait for an exit can fail. Then, in this process, with every client flavour: the subscriber connection
// closes with the client and is not opened again while the client is closed (but is once it is connected again);
// many stores on one client add one listener to it; dispose() never throws, even when closing the connection does.

/** Per-await limits, generous: a slow machine makes the suite slow, never failed; a hang fails naming its step. */
const limits = {
	/** Bundling the script, starting redis-server. */
	setup: 120_000,
	/** The child connecting, obtaining a token through the store and subscribing; then shutting down. */
	step: 60_000,
	/** The child exiting by itself after its shutdown (killed after this, and the test fails). */
	exit: 20_000,
};
/** Heartbeats (every 100 ms, from a timer that keeps nothing alive) the control must still send after its shutdown. */
const heartbeats = 5;

/** How a child process ended. */
interface Exit {
	code: number | null;
	signal: NodeJS.Signals | null;
}

/** The script, run as its own Node process (`process.execPath`), with its reports read line by line. */
class ShutdownChild {
	readonly reports: ShutdownReport[] = [];
	readonly exited: Promise<Exit>;
	readonly #child: ChildProcess;
	readonly #waiters = new Set<() => void>();
	#stderr = '';

	constructor(bundle: string, library: 'ioredis' | 'node-redis', port: number, key: string, mode: ShutdownMode) {
		this.#child = spawn(process.execPath, [bundle, library, String(port), key, mode], {stdio: ['ignore', 'pipe', 'pipe']});
		this.exited = new Promise(resolve => {
			this.#child.once('exit', (code, signal) => {
				resolve({code, signal});
				this.#check();
			});
		});
		createInterface({input: this.#child.stdout!}).on('line', line => {
			this.reports.push(JSON.parse(line) as ShutdownReport);
			this.#check();
		});
		this.#child.stderr!.on('data', (chunk: Buffer) => {
			this.#stderr += chunk.toString('utf8');
		});
	}

	/** Whether the process is still running. */
	get running(): boolean {
		return this.#child.exitCode === null && this.#child.signalCode === null;
	}

	/** The last `alive` report: what kept the process alive (`process.getActiveResourcesInfo()`). */
	get lastAlive(): Extract<ShutdownReport, {type: 'alive'}> | undefined {
		return this.reports.findLast(report => report.type === 'alive');
	}

	/** What the process wrote on stderr, and what kept it alive last, for failure messages. */
	get diagnosis(): string {
		return `resources keeping it alive: ${JSON.stringify(this.lastAlive?.resources ?? [])}; stderr: ${this.#stderr || '(empty)'}`;
	}

	/** Resolves with the first report that satisfies `test`; rejects if the process exits without sending one. */
	async report<T extends ShutdownReport>(test: (report: ShutdownReport) => report is T, what: string): Promise<T> {
		return within(new Promise<T>((resolve, reject) => {
			const check = (): void => {
				const found = this.reports.find(test);
				if (found) {
					this.#waiters.delete(check);
					resolve(found);
				} else if (!this.running) {
					this.#waiters.delete(check);
					reject(new Error(`the child exited before ${what}; ${this.diagnosis}`));
				}
			};
			this.#waiters.add(check);
			check();
		}), limits.step, what);
	}

	/** Waits for the process to exit by itself; after `limits.exit`, kills it and reports what kept it alive. */
	async exitsByItself(): Promise<Exit> {
		try {
			return await within(this.exited, limits.exit, 'the child exiting by itself');
		} catch (error) {
			await this.kill();
			throw new Error(`${(error as Error).message}: it was killed; ${this.diagnosis}`, {cause: error});
		}
	}

	async kill(): Promise<void> {
		if (this.running) {
			this.#child.kill('SIGKILL');
		}
		await this.exited;
	}

	#check(): void {
		for (const waiter of [...this.#waiters]) {
			waiter();
		}
	}
}

const isReady = (report: ShutdownReport): report is Extract<ShutdownReport, {type: 'ready'}> => report.type === 'ready';
const isClosed = (report: ShutdownReport): report is Extract<ShutdownReport, {type: 'closed'}> => report.type === 'closed';
const aliveAfter = (count: number) => (report: ShutdownReport): report is Extract<ShutdownReport, {type: 'alive'}> => report.type === 'alive' && report.count >= count;

describe.skipIf(redisMissing)(redisMissing ? `a script using redisStore exits after its shutdown — SKIPPED: ${redisMissing}` : 'a script using redisStore exits after its shutdown (real redis-server, its own Node process)', () => {
	let server: RedisServer;
	let bundle: string;
	const children: ShutdownChild[] = [];
	let keys = 0;

	beforeAll(async () => {
		[server, bundle] = await within(Promise.all([RedisServer.launch(), bundleScript('fixtures/shutdown-child')]), limits.setup, 'bundling the script and starting redis-server');
	}, limits.setup + 10_000);
	afterAll(async () => {
		await Promise.all(children.map(async child => child.kill()));
		await server?.close();
	});

	/** Starts the script; resolves once it obtained a token through the store, with the store's subscriber subscribed, and shut down. */
	async function run(library: 'ioredis' | 'node-redis', mode: ShutdownMode): Promise<ShutdownChild> {
		const child = new ShutdownChild(bundle, library, server.port, `shutdown-${library}-${mode}-${++keys}`, mode);
		children.push(child);
		const ready = await child.report(isReady, 'a token and a live subscription');
		// The refresh went through the store (its lock, compare-and-set), and the subscriber connection is subscribed.
		expect(ready).toEqual({type: 'ready', token: 'access-2', subscribers: 1});
		await child.report(isClosed, 'the shutdown');
		return child;
	}

	const testTimeout = limits.step * 2 + limits.exit + 10_000;

	describe.each(['ioredis', 'node-redis'] as const)('%s', library => {
		it('session.dispose() and then the client\'s own close (quit() / close()): the process exits by itself, with code 0', async () => {
			const child = await run(library, 'dispose-and-close');
			expect(await child.exitsByItself()).toEqual({code: 0, signal: null});
		}, testTimeout);

		it('only the client\'s own close, without dispose(): the store\'s subscriber connection follows it, and the process exits by itself, with code 0', async () => {
			const child = await run(library, 'close');
			expect(await child.exitsByItself()).toEqual({code: 0, signal: null});
		}, testTimeout);

		it(`control: with the client left open, the process is still running after ${heartbeats} heartbeats, held by its two sockets (the client's and the subscriber's)`, async () => {
			const child = await run(library, 'none');
			const alive = await child.report(aliveAfter(heartbeats), `${heartbeats} heartbeats`);
			expect(child.running).toBe(true);
			expect(alive.resources.filter(resource => resource === 'TCPSocketWrap')).toHaveLength(2);
			await child.kill();
		}, testTimeout);
	});
});

/** The number of connections subscribed to the store `key`'s channel, as the server counts them. */
async function subscribers(observer: TestClient, key: string): Promise<number> {
	const reply = await observer.raw('PUBSUB', 'NUMSUB', `ky-auth:{${key}}:changes`);
	return Array.isArray(reply) ? Number(reply[1]) : Number.NaN;
}

/** Asks the server until `check` holds: a bounded number of rounds of I/O, not a timing assertion. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
	for (let attempt = 0; !await check(); attempt++) {
		if (attempt > 500) {
			throw new Error(`never: ${what}`);
		}
		await flush();
	}
}

/** Resolves once the store's subscriber connection is subscribed (the store tells its listeners then); stops listening. */
async function subscribed(store: RedisTokenStore): Promise<void> {
	await new Promise<void>(resolve => {
		const stop = store.subscribe(() => {
			stop();
			resolve();
		});
	});
}

/** `client`, counting its duplicates (the store's subscriber connections) and the store's looks at whether it is closed. */
function counting(client: RedisClient): {client: RedisClient; counts: {duplicates: number; looks: number}} {
	const counts = {duplicates: 0, looks: 0};
	const counted = new Proxy(client, {
		get(target, property) {
			if (property === 'status' || property === 'isOpen') {
				counts.looks++;
			}
			const value: unknown = Reflect.get(target, property, target);
			if (typeof value !== 'function') {
				return value;
			}
			return property === 'duplicate' ? () => {
				counts.duplicates++;
				return value.call(target) as unknown;
			} : value.bind(target);
		},
	});
	return {client: counted, counts};
}

/** `client`, whose duplicates (the store's subscriber connections) throw after closing when the store closes them. */
function closingThrows(client: RedisClient): RedisClient {
	const throwing = <T extends object>(target: T, methods: readonly string[]): T => new Proxy(target, {
		get(object, property) {
			const value: unknown = Reflect.get(object, property, object);
			if (typeof value !== 'function') {
				return value;
			}
			if (property === 'duplicate') {
				return () => throwing(value.call(object) as object, ['disconnect', 'destroy']);
			}
			if (typeof property === 'string' && methods.includes(property)) {
				return () => {
					value.call(object);
					throw new Error(`${property} failed`);
				};
			}
			return value.bind(object);
		},
	});
	return throwing(client, []);
}

describe.skipIf(redisMissing)(redisMissing ? `redisStore follows its client's end — SKIPPED: ${redisMissing}` : 'redisStore follows its client\'s end (real redis-server, in this process)', () => {
	let server: RedisServer;
	let keys = 0;
	beforeAll(async () => {
		server = await RedisServer.launch();
	});
	afterAll(async () => {
		await server.close();
	});

	describe.each(flavours)('$name', flavour => {
		/** A client of this flavour, closed after the test. */
		const connect = async (): Promise<TestClient> => {
			const client = await flavour.connect(server.port);
			onTestFinished(async () => client.close());
			return client;
		};

		it('closing the client closes the store\'s subscriber connection, and the store opens none while the client is closed; once it is connected again, the store subscribes again, tells its listeners to read again, and hears writes', async () => {
			const [user, observer] = await Promise.all([connect(), connect()]);
			const key = `follow-${++keys}`;
			const {client, counts} = counting(user.client);
			const store = redisStore({client, key, pollInterval: 20});
			let heard = deferred<void>();
			const stop = store.subscribe(() => {
				heard.resolve();
			});
			onTestFinished(stop);
			await heard.promise;
			expect(await subscribers(observer, key)).toBe(1);
			expect(counts.duplicates).toBe(1);

			await user.close();
			await eventually(async () => await subscribers(observer, key) === 0, 'the subscriber connection closed');
			// The store looks again every pollInterval whether the client is open: five more looks, no new connection.
			const looks = counts.looks;
			await eventually(async () => counts.looks >= looks + 5 || counts.duplicates > 1, 'five more looks at the client, or a new connection');
			expect(counts.duplicates).toBe(1);
			expect(await subscribers(observer, key)).toBe(0);

			heard = deferred();
			await user.reopen();
			await heard.promise;
			expect(await subscribers(observer, key)).toBe(1);
			expect(counts.duplicates).toBe(2);
			heard = deferred();
			await redisStore({client: observer.client, key}).set({id: 'r', generation: 0, tokens: {accessToken: 'a'}});
			await heard.promise;
		});

		it('many stores on one client add one listener of its end to it, gone when the last subscriber leaves (no MaxListenersExceededWarning)', async () => {
			const user = await connect();
			const emitter = user.client as unknown as EventEmitter;
			const before = emitter.listenerCount('end');
			const warnings: string[] = [];
			const onWarning = (warning: Error): void => {
				warnings.push(warning.name);
			};
			process.on('warning', onWarning);
			onTestFinished(() => {
				process.off('warning', onWarning);
			});
			const stores = Array.from({length: 15}, () => redisStore({client: user.client, key: `many-${++keys}`}));
			const stops = await Promise.all(stores.map(async store => {
				const ready = deferred<void>();
				const stop = store.subscribe(() => {
					ready.resolve();
				});
				await ready.promise;
				return stop;
			}));
			expect(emitter.listenerCount('end')).toBe(before + 1);
			for (const stop of stops) {
				stop();
			}
			expect(emitter.listenerCount('end')).toBe(before);
			await flush();
			expect(warnings).not.toContain('MaxListenersExceededWarning');
		});

		it('session.dispose() does not throw, and closes the subscriber connection, even when closing it throws', async () => {
			const [user, observer] = await Promise.all([connect(), connect()]);
			const key = `dispose-${++keys}`;
			const store = redisStore({client: closingThrows(user.client), key});
			const ready = subscribed(store);
			const session = createAuthSession({store, refresh: async () => ({accessToken: 'a'})});
			await ready;
			expect(await subscribers(observer, key)).toBe(1);
			expect(() => {
				session.dispose();
			}).not.toThrow();
			await eventually(async () => await subscribers(observer, key) === 0, 'the subscriber connection closed');
		});
	});
});
