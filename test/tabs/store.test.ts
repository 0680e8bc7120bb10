/**
 * indexedDbStore in real Chromium, across pages of one origin in one browser context: compare-and-set is
 * atomic across tabs, changes reach other tabs and this instance's other listeners in isolation, and the
 * lock (Web Locks, or the IndexedDB lease where they are missing) excludes, is stolen from a hung holder,
 * is released by a closed tab, and stops waiting on abort.
 */
import type {BrowserContext, Page} from 'playwright';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {incrementEverywhere} from './increments.js';
import {chromiumMissing, startTabs, type Tabs} from './tabs-fixture.js';

let tabs: Tabs;
let context: BrowserContext | undefined;
let keyCount = 0;

if (chromiumMissing) {
	console.warn(`test/tabs/store.test.ts skipped: ${chromiumMissing}`);
}

async function open(count: number, query: Record<string, string | number> = {}): Promise<Page[]> {
	const opened = await tabs.open(count, {key: `s${++keyCount}`, ...query});
	context = opened.context;
	return opened.pages;
}

describe.skipIf(chromiumMissing !== undefined)(`indexedDbStore in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
	beforeAll(async () => {
		tabs = await startTabs();
	}, 30_000);
	afterEach(async () => {
		await context?.close();
		context = undefined;
	});
	afterAll(async () => tabs?.close());

	test('compareAndSet is atomic across tabs: 4 tabs x 10 concurrent increments lose none', async () => {
		expect(await incrementEverywhere(await open(4), 10, 'compareAndSet')).toBe(40);
	}, 30_000);

	test('compareAndSet: null expects nothing stored (unreadable counts as nothing); a bare TokenSet matches no version', async () => {
		const [page] = await open(1);
		const results = await page!.evaluate(async () => {
			const {store} = window.harness;
			const key = new URLSearchParams(location.search).get('key')!;
			const record = {id: 'r1', generation: 0, tokens: {accessToken: 'a'}};
			const putRaw = async (value: unknown) => new Promise<void>((resolve, reject) => {
				const request = indexedDB.open('ky-auth');
				request.onsuccess = () => {
					const transaction = request.result.transaction('records', 'readwrite');
					transaction.objectStore('records').put(value, key);
					transaction.oncomplete = () => {
						request.result.close();
						resolve();
					};
					transaction.onabort = () => reject(transaction.error);
				};
			});
			const steps: unknown[] = [await store.compareAndSet!({id: 'r1', generation: 0}, record), await store.compareAndSet!(null, record)];
			steps.push(await store.compareAndSet!(null, record), await store.compareAndSet!({id: 'r1', generation: 1}, null));
			steps.push(await store.compareAndSet!({id: 'r1', generation: 0}, null), await store.get());
			await putRaw({garbage: true});
			steps.push(await store.get(), await store.compareAndSet!(null, record), (await store.get()) !== null);
			await putRaw({accessToken: 'bare'});
			steps.push(await store.compareAndSet!(null, record), await store.compareAndSet!({id: 'r1', generation: 0}, record));
			return steps;
		});
		expect(results).toEqual([false, true, false, false, true, null, null, true, true, false, false]);
	}, 30_000);

	test('set and compareAndSet refuse what is not a record, with a TypeError that shows no token', async () => {
		const [page] = await open(1);
		const messages = await page!.evaluate(async () => {
			const {store} = window.harness;
			const attempts = [
				async () => store.set({tokens: 'secret-token-value-0123456789'} as never),
				async () => store.compareAndSet!({id: 1} as never, null),
				async () => store.compareAndSet!(null, 'secret-token-value-0123456789' as never),
			];
			return Promise.all(attempts.map(async attempt => attempt().then(() => 'resolved', (error: Error) => `${error.name}: ${error.message}`)));
		});
		expect(messages).toEqual([
			'TypeError: indexedDbStore: set: expected a TokenRecord or null, got an object',
			'TypeError: indexedDbStore: compareAndSet expected: expected null or {id: string, generation: integer}, got an object',
			'TypeError: indexedDbStore: compareAndSet next: expected a TokenRecord or null, got a string of 29 characters',
		]);
	}, 30_000);

	test('subscribe: other tabs hear every write, this instance\'s other listeners too, a throwing listener breaks nothing', async () => {
		const [writer, reader] = await open(2);
		await reader!.evaluate(() => {
			const counts = {changes: 0};
			Object.assign(window, {counts});
			window.harness.store.subscribe!(() => counts.changes++);
		});
		const local = await writer!.evaluate(async () => {
			const {store} = window.harness;
			let heard = 0;
			store.subscribe!(() => {
				throw new Error('listener failed on purpose');
			});
			const stop = store.subscribe!(() => heard++);
			await store.set({id: 'w', generation: 0, tokens: {accessToken: 'a'}});
			const failed = await store.compareAndSet!({id: 'w', generation: 5}, null);
			await store.compareAndSet!({id: 'w', generation: 0}, null);
			stop();
			await store.set(null);
			return {heard, failed};
		});
		// Two successful writes were heard while subscribed; the failed compare-and-set and the write after stop() were not.
		expect(local).toEqual({heard: 2, failed: false});
		await expect.poll(() => tabs.errorsOf(writer!).filter(error => error.includes('listener failed on purpose')).length).toBe(3);
		// The reader hears all three writes (messages from one tab arrive in order; the failed CAS posts nothing).
		await expect.poll(async () => reader!.evaluate(() => (window as unknown as {counts: {changes: number}}).counts.changes)).toBe(3);
	}, 30_000);

	for (const locks of ['web', 'lease'] as const) {
		const query: Record<string, string> = locks === 'lease' ? {locks: 'off'} : {};

		test(`lock (${locks}): mutual exclusion across tabs, 4 tabs x 5 read-modify-writes lose none`, async () => {
			expect(await incrementEverywhere(await open(4, query), 5, 'lock')).toBe(20);
		}, 30_000);

		test(`lock (${locks}): a closed tab's lock goes to the next waiter`, async () => {
			const [holder, waiter] = await open(2, {...query, lockTimeout: 500});
			await holder!.evaluate(async () => window.harness.locks.take('held forever'));
			const next = waiter!.evaluate(async () => window.harness.locks.take('next').then(() => 'granted'));
			await holder!.close();
			expect(await next).toBe('granted');
		}, 30_000);

		test(`lock (${locks}): aborting the wait rejects with the reason and leaves the lock to others`, async () => {
			const [holder, waiter] = await open(2, query);
			await holder!.evaluate(async () => window.harness.locks.take('a'));
			const aborted = waiter!.evaluate(async () => window.harness.locks.take('b').then(() => 'granted', (error: Error) => error.message));
			await expect.poll(async () => waiter!.evaluate(() => window.harness.locks.outcome('b'))).toBe('pending');
			await waiter!.evaluate(() => window.harness.locks.abort('b', 'stop waiting'));
			expect(await aborted).toBe('stop waiting');
			await holder!.evaluate(() => window.harness.locks.release('a'));
			expect(await waiter!.evaluate(async () => window.harness.locks.take('c').then(() => 'granted'))).toBe('granted');
		}, 30_000);
	}

	test('lock (web): a holder that never releases is robbed after the waiter\'s lockTimeout; its lock() rejects with AbortError', async () => {
		const [hung] = await open(1);
		const waiter = await tabs.add(context!, {key: `s${keyCount}`, lockTimeout: 300});
		await hung!.evaluate(async () => window.harness.locks.take('hung'));
		expect(await waiter.evaluate(async () => window.harness.locks.take('stealer').then(() => 'granted'))).toBe('granted');
		await expect.poll(async () => hung!.evaluate(() => window.harness.locks.outcome('hung'))).toBe('AbortError');
		expect(await waiter.evaluate(() => window.harness.locks.outcome('stealer'))).toBe('pending');
	}, 30_000);

	test('lock (lease): a live holder renews its lease past lockTimeout; the waiter gets it only after the release', async () => {
		const [holder, waiter] = await open(2, {locks: 'off', lockTimeout: 200});
		await holder!.evaluate(async () => window.harness.locks.take('long'));
		const next = waiter!.evaluate(async () => window.harness.locks.take('next'));
		// The holder keeps the lock for five lease lifetimes (its own timer: page work, not a test sleep).
		await holder!.evaluate(async () => new Promise<void>(resolve => setTimeout(() => {
			window.harness.locks.release('long');
			resolve();
		}, 1000)));
		await next;
		const released = (await holder!.evaluate(() => window.harness.locks.times('long'))).released;
		const granted = (await waiter!.evaluate(() => window.harness.locks.times('next'))).granted;
		expect(granted).toBeGreaterThanOrEqual(released!);
	}, 30_000);
});
