/**
 * Issue 16, item 2, on a real redis-server: a live holder never loses its lock, however long its task runs (it
 * renews the lock every lockTtl / 3); a holder that dies (a process SIGKILLed) stops renewing, and its lock is
 * taken over once its TTL runs out. Nothing here measures time: renewals are counted as Redis answers them.
 */
import {type ChildProcess, fork} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it, onTestFinished} from 'vitest';
import {redisStore} from '../../src/redis/index.js';
import {scripts} from '../../src/redis/scripts.js';
import {deferred} from '../helpers/deferred.js';
import {bundleScript} from './bundle.js';
import {libraries, type TestClient} from './clients.js';
import type {HolderReport, HolderSetup} from './lock-holder.js';
import {RedisServer, redisMissing} from './redis-server.js';
import {renewals} from './renewals.js';

const never = new AbortController().signal;
/** Short, so the tests are quick; 3 × commandTimeout, the least options.ts allows. */
const lockTtl = 1200;
const commandTimeout = 400;

/** Starts test/redis/lock-holder.ts in its own process; resolves once it holds the lock and renewed it once. */
async function startHolder(bundle: string, setup: HolderSetup): Promise<ChildProcess> {
	const child = fork(bundle, [], {execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json'});
	onTestFinished(() => {
		child.kill('SIGKILL');
	});
	const holding = deferred<void>();
	const renewed = deferred<void>();
	child.on('message', (report: HolderReport) => {
		if (report.type === 'holding') {
			holding.resolve();
		} else {
			renewed.resolve();
		}
	});
	child.once('exit', code => {
		const error = new Error(`the holder exited (${code}) before it held and renewed the lock`);
		holding.reject(error);
		renewed.reject(error);
	});
	child.send(setup);
	await holding.promise;
	await renewed.promise;
	return child;
}

describe.skipIf(redisMissing)(redisMissing ? `lock renewal — SKIPPED: ${redisMissing}` : 'the lock of a live holder is renewed; a dead holder\'s expires', () => {
	let server: RedisServer;
	let bundle: string;
	let keys = 0;
	beforeAll(async () => {
		[server, bundle] = await Promise.all([RedisServer.launch(), bundleScript('lock-holder')]);
	}, 60_000);
	afterAll(async () => {
		await server.close();
	});

	describe.each(libraries)('$name', flavour => {
		let a: TestClient;
		let b: TestClient;
		beforeAll(async () => {
			[a, b] = await Promise.all([flavour.connect(server.port), flavour.connect(server.port)]);
		});
		afterAll(async () => {
			await Promise.all([a.close(), b.close()]);
		});

		it('keeps the lock of a task that runs 3 × lockTtl: another contender cannot take it meanwhile', async () => {
			const key = `renewed-${++keys}`;
			// Nine renewals, a third of the TTL apart: the task has held the lock for 3 × lockTtl.
			const threeTtls = deferred<void>();
			const watched = await renewals(a, count => {
				if (count === 9) {
					threeTtls.resolve();
				}
			});
			const events: string[] = [];
			const holding = deferred<void>();
			const finish = deferred<void>();
			const held = redisStore({client: watched, key, lockTtl, commandTimeout}).lock(async () => {
				events.push('holder in');
				holding.resolve();
				await finish.promise;
				events.push('holder out');
			}, never);
			await holding.promise;
			const contenderIn = deferred<void>();
			const contender = redisStore({client: b.client, key, lockTtl, commandTimeout, pollInterval: 50}).lock(async () => {
				events.push('contender in');
				contenderIn.resolve();
			}, never);

			// Without renewal, the contender gets in once the TTL runs out, long before the ninth renewal.
			await Promise.race([threeTtls.promise, contenderIn.promise]);
			expect(events).toEqual(['holder in']);
			finish.resolve();
			await Promise.all([held, contender]);
			expect(events).toEqual(['holder in', 'holder out', 'contender in']);
			expect(await a.raw('EXISTS', `ky-auth:{${key}}:lock`)).toBe(0);
		});

		it('takes over the lock of a holder process SIGKILLed while holding it, once its TTL runs out', async () => {
			const key = `killed-${++keys}`;
			const holder = await startHolder(bundle, {port: server.port, key, lockTtl, commandTimeout});
			const exited = new Promise(resolve => holder.once('exit', resolve));
			holder.kill('SIGKILL');
			await exited;

			// What the dead holder had left, each time the contender was refused.
			const acquire = await scripts.acquire.sha();
			const left: number[] = [];
			const watched = b.observed((command, reply) => {
				if (command[0] === 'EVALSHA' && command[1] === acquire && Number(reply) > 0) {
					left.push(Number(reply));
				}
			});
			// A poll interval far beyond the TTL: only the dead holder's TTL running out lets the contender in.
			const contender = redisStore({client: watched, key, lockTtl, commandTimeout, pollInterval: 60_000});
			await expect(contender.lock(async () => 'took over', never)).resolves.toBe('took over');

			expect(left.length).toBeGreaterThan(0);
			expect(Math.max(...left)).toBeLessThanOrEqual(lockTtl);
		});
	});
});
