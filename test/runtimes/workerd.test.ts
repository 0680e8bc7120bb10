import {readFile} from 'node:fs/promises';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Miniflare} from 'miniflare';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bundle, fixture, scratch} from './bundle.js';
import {expectCases} from './expectations.js';
import {stormSize, type CaseResults, type Outcome} from './fixtures/cases.js';
import {startRuntimeServer, type RuntimeServer} from './server.js';

/**
 * ky-auth in workerd (Cloudflare Workers' runtime, through miniflare), with the session and the client made at
 * module scope (fixtures/worker.ts) and used by requests that arrive as separate fetch events: workerd gives each
 * its own I/O context, and refuses an I/O object of one request (an `AbortSignal`'s canceler, a timer) used by
 * another. The controls bundle the worker with the sources as they were before the fix
 * (fixtures/before-fix/*.ts.txt, whose imports are relative to the file they replace):
 * - `lifetime.ts.txt`: one `AbortController` per epoch made when the epoch starts: at module scope workerd refuses
 *   it ("Disallowed operation called within global scope"), so the worker does not even start;
 * - `single-flight.ts.txt`: the waiters of a refresh in a p-queue released by the request that ran the refresh,
 *   which reads each waiter's `signal.aborted` there ("Cannot perform I/O on behalf of a different request",
 *   `RefcountedCanceler`): the waiters of other requests hang until ky's timeout.
 */
const workerd = fileURLToPath(new URL('../../node_modules/.bin/workerd', import.meta.url));
const missing = !existsSync(workerd);
if (missing) {
	console.warn(`test/runtimes/workerd.test.ts: skipped, ${workerd} is missing (npm install installs it with miniflare)`);
}
const src = fileURLToPath(new URL('../../src/', import.meta.url));
const compatibilityDate = '2026-07-30';

let server: RuntimeServer;
let dir: string;
let removeScratch: () => Promise<void>;

async function worker(name: string, replace: Record<string, string> = {}): Promise<string> {
	const file = await bundle(fixture('worker.ts'), join(dir, `${name}.js`), {__RUNTIME_SERVER__: JSON.stringify(server.url)}, replace);
	return readFile(file, 'utf8');
}

async function beforeFix(file: string, replaces: string): Promise<Record<string, string>> {
	return {[join(src, replaces)]: await readFile(fixture(`before-fix/${file}`), 'utf8')};
}

function start(script: string, flags: string[]): Miniflare {
	return new Miniflare({modules: true, script, compatibilityDate, compatibilityFlags: flags});
}

/** One fetch event; its answer (an outcome of fixtures/cases.ts, or what the route returns). */
async function event<T = Outcome>(mf: Miniflare, path: string): Promise<T> {
	const response = await mf.dispatchFetch(`http://worker${path}`);
	expect(response.status, path).toBe(200);
	return (await response.json()) as T;
}

/** 20 requests on a revoked token, each its own fetch event, all at once: the first 401 refreshes, the others join it. */
async function storm(mf: Miniflare): Promise<Outcome[]> {
	await event(mf, '/storm-revoked/sign-in?token=revoked');
	return Promise.all(Array.from({length: stormSize}, async () => event(mf, '/storm-revoked/get?path=ok')));
}

beforeAll(async () => {
	server = await startRuntimeServer();
	({dir, remove: removeScratch} = await scratch());
}, 60_000);

afterAll(async () => {
	await server.close();
	await removeScratch();
});

describe.each([
	{name: 'workerd', flags: []},
	{name: 'workerd with nodejs_compat', flags: ['nodejs_compat']},
])('in $name, module-scope session and client', ({flags}) => {
	let mf: Miniflare;

	beforeAll(async () => {
		server.reset();
		if (!missing) {
			mf = start(await worker('fixed'), flags);
			await mf.ready;
		}
	}, 60_000);

	afterAll(async () => {
		await mf?.dispose();
	});

	it.skipIf(missing)('the cases of every runtime, within one request', async () => {
		expectCases(await event<CaseResults>(mf, '/cases'), server, 'inside-');
	}, 60_000);

	it.skipIf(missing)('a storm across fetch events: a refresh started by one request, awaited by the others: one token call, all succeed', async () => {
		expect(await storm(mf)).toEqual(Array.from({length: stormSize}, () => ({status: 200})));
		expect(server.hits('/token/storm-revoked')).toBe(1);
		// A request that arrived after the refresh went out with the new token at once: between 1 and 2 sends each.
		expect(server.hits('/api/storm-revoked/ok')).toBeGreaterThan(stormSize);
		expect(server.hits('/api/storm-revoked/ok')).toBeLessThanOrEqual(2 * stormSize);
	}, 60_000);

	it.skipIf(missing)('an expired token across fetch events: one token call, nothing sent with the expired token', async () => {
		await event(mf, '/storm-expired/sign-in?token=login&expires-in=0');
		const outcomes = await Promise.all(Array.from({length: stormSize}, async () => event(mf, '/storm-expired/get?path=ok')));
		expect(outcomes).toEqual(Array.from({length: stormSize}, () => ({status: 200})));
		expect(server.hits('/token/storm-expired')).toBe(1);
		expect(server.hits('/api/storm-expired/ok')).toBe(stormSize);
	}, 60_000);

	it.skipIf(missing)('sequential fetch events: sign-in in one, the refresh in the next, its token reused by a third, then a new sign-in and refresh', async () => {
		await event(mf, '/sequential/sign-in?token=revoked');
		expect(await event(mf, '/sequential/get?path=ok')).toEqual({status: 200});
		expect(server.hits('/token/sequential')).toBe(1);
		expect(await event(mf, '/sequential/get?path=ok')).toEqual({status: 200});
		expect(server.hits('/token/sequential')).toBe(1);
		// A new epoch made by another request; its refresh in yet another.
		await event(mf, '/sequential/sign-in?token=revoked-again');
		expect(await event(mf, '/sequential/get?path=ok')).toEqual({status: 200});
		expect(server.hits('/token/sequential')).toBe(2);
		expect(server.hits('/api/sequential/ok')).toBe(5);
	}, 60_000);

	it.skipIf(missing)('a machine session made by the first request, used by the next ones: one token call for a storm of first requests', async () => {
		const outcomes = await Promise.all(Array.from({length: stormSize}, async () => event(mf, '/machine/get?path=ok')));
		expect(outcomes).toEqual(Array.from({length: stormSize}, () => ({status: 200})));
		expect(await event(mf, '/machine/get?path=ok')).toEqual({status: 200});
		expect(server.hits('/token/machine')).toBe(1);
		expect(server.hits('/api/machine/ok')).toBe(stormSize + 1);
	}, 60_000);

	it.skipIf(missing)('retry once and a 403, each in its own fetch event', async () => {
		await event(mf, '/retry-once/sign-in?token=login');
		expect(await event(mf, '/retry-once/get?path=always-401')).toEqual({error: 'AuthenticationError', code: 'AUTHENTICATION_FAILED'});
		expect(server.hits('/token/retry-once')).toBe(1);
		expect(server.hits('/api/retry-once/always-401')).toBe(2);
		await event(mf, '/forbidden/sign-in?token=login');
		expect(await event(mf, '/forbidden/get?path=forbidden')).toEqual({error: 'PermissionError', code: 'PERMISSION_DENIED'});
		expect(server.hits('/token/forbidden')).toBe(0);
		expect(server.hits('/api/forbidden/forbidden')).toBe(1);
	}, 60_000);
});

describe('controls: the worker built from the sources before the fix', () => {
	it.skipIf(missing)('an AbortController made when the session is created: the worker cannot start', async () => {
		const mf = start(await worker('control-lifetime', await beforeFix('lifetime.ts.txt', 'utils/lifetime.ts')), []);
		try {
			await expect(mf.ready).rejects.toThrow(/Disallowed operation called within global scope/);
		} finally {
			await mf.dispose().catch(() => undefined);
		}
	}, 60_000);

	it.skipIf(missing)('waiters released by the refresh\'s request: the storm\'s other requests hang until ky\'s timeout', async () => {
		server.reset();
		const mf = start(await worker('control-single-flight', await beforeFix('single-flight.ts.txt', 'session/refresh/single-flight.ts')), []);
		try {
			const outcomes = await storm(mf);
			expect(server.hits('/token/storm-revoked')).toBe(1);
			const failed = outcomes.filter(outcome => outcome.status !== 200);
			// Every request that had to wait for another request's refresh timed out.
			expect(failed.length).toBeGreaterThan(0);
			expect(failed.every(outcome => outcome.error?.startsWith('TimeoutError'))).toBe(true);
		} finally {
			await mf.dispose();
		}
	}, 60_000);
});
