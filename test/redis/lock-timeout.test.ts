/**
 * Issue 16, item 1, on a real redis-server: a lock attempt Redis answers late (a latency spike, made with
 * `CLIENT PAUSE <ms> WRITE`: the lock script waits, reads do not) has an unknown outcome, and an unknown outcome
 * is no permission to refresh. The attempt rejects with `REDIS_TIMEOUT` and its task never runs, while another
 * process holds the lock and is spending the refresh token.
 */
import {afterAll, beforeAll, describe, expect, it, onTestFinished} from 'vitest';
import {createAuthSession, RefreshError, type TokenSet} from '../../src/index.js';
import {redisStore, RedisStoreError} from '../../src/redis/index.js';
import {deferred} from '../helpers/deferred.js';
import {libraries, type TestClient} from './clients.js';
import {RedisServer, redisMissing} from './redis-server.js';

const never = new AbortController().signal;

/** A token endpoint with rotation and reuse detection; it answers the first call only when told to. */
function tokenEndpoint() {
	const spent = new Set<string>();
	const presented: string[] = [];
	const first = {arrived: deferred<void>(), answer: deferred<void>()};
	let reuses = 0;
	return {
		presented,
		first,
		reuses: () => reuses,
		async refresh({tokens}: {tokens: TokenSet | null}): Promise<TokenSet> {
			const token = tokens?.refreshToken ?? '';
			presented.push(token);
			if (spent.has(token)) {
				reuses++;
				throw new Error('invalid_grant: refresh token reused, family revoked');
			}
			spent.add(token);
			if (presented.length === 1) {
				first.arrived.resolve();
				await first.answer.promise;
			}
			return {accessToken: `at.${presented.length + 1}`, refreshToken: `rt.${presented.length + 1}`, expiresIn: 3600};
		},
	};
}

describe.skipIf(redisMissing)(redisMissing ? `a lock attempt answered late — SKIPPED: ${redisMissing}` : 'a lock attempt Redis answers late (CLIENT PAUSE WRITE)', () => {
	let server: RedisServer;
	let keys = 0;
	beforeAll(async () => {
		server = await RedisServer.launch();
	});
	afterAll(async () => {
		await server.close();
	});

	describe.each(libraries)('$name', flavour => {
		let holder: TestClient;
		let late: TestClient;
		let admin: TestClient;
		beforeAll(async () => {
			[holder, late, admin] = await Promise.all([flavour.connect(server.port), flavour.connect(server.port), flavour.connect(server.port)]);
		});
		afterAll(async () => {
			await Promise.all([holder.close(), late.close(), admin.close()]);
		});

		/** Delays every write (the lock scripts included) until the test ends it. */
		async function spike(): Promise<() => Promise<void>> {
			await admin.raw('CLIENT', 'PAUSE', '60000', 'WRITE');
			let ended = false;
			const end = async (): Promise<void> => {
				if (!ended) {
					ended = true;
					await admin.raw('CLIENT', 'UNPAUSE');
				}
			};
			onTestFinished(end);
			return end;
		}

		it('rejects with REDIS_TIMEOUT and never runs the task while another process holds the lock', async () => {
			const key = `late-${++keys}`;
			const holding = deferred<void>();
			const done = deferred<void>();
			const held = redisStore({client: holder.client, key}).lock(async () => {
				holding.resolve();
				await done.promise;
			}, never);
			await holding.promise;
			const store = redisStore({client: late.client, key, commandTimeout: 300, lockTtl: 900, pollInterval: 20});
			let ran = 0;

			const end = await spike();
			const error = await store.lock(async () => {
				ran++;
			}, never).catch((caught: unknown) => caught);
			await end();

			expect(error).toBeInstanceOf(RedisStoreError);
			expect(error).toMatchObject({code: 'REDIS_TIMEOUT', message: expect.stringMatching(/^Redis did not answer in time \(lock on ky-auth:\{late-\d+\}:lock\)/)});
			expect(ran).toBe(0);
			// The holder kept its lock through the spike; once it lets go, the lock works again for the other process.
			done.resolve();
			await held;
			await expect(store.lock(async () => 'after', never)).resolves.toBe('after');
		});

		it('a user session whose lock attempt times out fails fast and spends nothing: 1 token call, 0 reuse, and it then adopts the holder\'s tokens', async () => {
			const key = `late-session-${++keys}`;
			const endpoint = tokenEndpoint();
			await redisStore({client: admin.client, key}).set({id: 'user', generation: 0, tokens: {accessToken: 'at.1', refreshToken: 'rt.1', expiresAt: 1}});
			const sessionOn = (client: TestClient, options: {commandTimeout?: number; lockTtl?: number} = {}) => {
				const session = createAuthSession({store: redisStore({client: client.client, key, ...options}), refresh: endpoint.refresh});
				session.addEventListener('refresherror', () => undefined);
				onTestFinished(() => {
					session.dispose();
				});
				return session;
			};
			const one = sessionOn(holder);
			const two = sessionOn(late, {commandTimeout: 300, lockTtl: 900});

			// One holds the lock; its token request (rt.1 presented, spent) is in flight.
			const first = one.getAccessToken();
			await endpoint.first.arrived.promise;
			// Redis answers the other one's lock attempt late.
			const end = await spike();
			const failed = await two.getAccessToken().catch((caught: unknown) => caught);
			await end();
			endpoint.first.answer.resolve();

			expect(failed).toBeInstanceOf(RefreshError);
			expect(String(failed)).toMatch(/lock could not be taken/);
			expect(await first).toBe('at.2');
			expect(await two.getAccessToken()).toBe('at.2');
			expect(endpoint.presented).toEqual(['rt.1']);
			expect(endpoint.reuses()).toBe(0);
		});
	});
});
