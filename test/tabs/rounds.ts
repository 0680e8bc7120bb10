import type {Page} from 'playwright';
import {expect} from 'vitest';
import type {CallResult} from './page.js';
import type {Counters, TokenServer} from './token-server.js';

/** What one round did, as asserted and reported. */
export interface Round {
	grants: number;
	reuses: number;
	/** Requests that did not end with a 2xx response. */
	failed: number;
	/** API requests whose token belonged to another user than the one they were sent as. */
	crossUser: number;
}

/** A round's outcome when nothing went wrong. */
export const clean: Round = {grants: 1, reuses: 0, failed: 0, crossUser: 0};

/** Summarises a round from the server's counters and the pages' results. */
export function roundOf(counters: Counters, results: CallResult[][]): Round {
	return {
		grants: counters.grants,
		reuses: counters.reuses,
		failed: results.flat().filter(result => !result.ok).length,
		crossUser: counters.crossUser,
	};
}

/**
 * Signs in as `user` in `pages[0]` and waits until every page sends that sign-in's token. First waits until no
 * page is still refreshing: a previous round's late commit (on an unprotected store, a read-then-write that is
 * not atomic) could otherwise land after this sign-in and wipe it, which is that store's failure, not this round's.
 */
export async function signInEverywhere(pages: Page[], user: string): Promise<string | null> {
	for (const page of pages) {
		await expect.poll(async () => page.evaluate(() => window.harness.snapshot().status), {timeout: 10_000}).not.toBe('refreshing');
	}
	const token = await pages[0]!.evaluate(async name => window.harness.signIn(name), user);
	await waitUntilHolding(pages, token);
	return token;
}

/** Waits until every page's session would send `token` (a label, see page.ts). */
export async function waitUntilHolding(pages: Page[], token: string | null): Promise<void> {
	for (const page of pages) {
		await expect.poll(async () => page.evaluate(async () => window.harness.holding()), {timeout: 10_000}).toBe(token);
	}
}

/** Waits until `count` lock requests of these pages' store wait behind a holder (Web Locks only). */
export async function waitForLockWaiters(page: Page, count: number): Promise<void> {
	await expect.poll(async () => (await page.evaluate(async () => window.harness.lockState())).pending, {timeout: 5000}).toBeGreaterThanOrEqual(count);
}

/** Starts `n` requests in every page at once; resolves with each page's results. */
export async function burstAll(pages: Page[], n: number): Promise<CallResult[][]> {
	return Promise.all(pages.map(async page => page.evaluate(async count => window.harness.burst(count), n)));
}

/** Starts a fresh round: new counters. */
export function newRound(server: TokenServer): void {
	server.resetCounters();
}
