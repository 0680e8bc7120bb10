/**
 * Issue 16: an answer that comes after `refreshTimeout`. The waiters fail at the timeout (nothing stalls), but
 * the server acted on the refresh token: the late answer is still awaited inside the lock and kept, so no
 * holder presents the spent refresh token again.
 */
import {afterEach, describe, expect, it, vi} from 'vitest';
import {createAuthSession, memoryStore, type RefreshContext, type TokenSet} from '../../src/index.js';
import {lateAnswerGrace} from '../../src/session/refresh/spend.js';
import {deferred} from '../helpers/deferred.js';
import {Ledger} from './ledger.js';

afterEach(() => {
	vi.useRealTimers();
});

describe('a token answer that arrives after refreshTimeout', () => {
	it('fails the waiters at the timeout, then is kept: the next refresh presents the new refresh token', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
		const ledger = new Ledger();
		const answer = deferred<TokenSet | null>();
		let slow = true;
		const refresh = async (context: RefreshContext) => {
			const issued = ledger.grant(context);
			if (slow) {
				slow = false;
				// Like fetch, it honours its signal: the signal must not abort before a late answer can come.
				return Promise.race([answer.promise.then(() => issued), new Promise<never>((_resolve, reject) => {
					context.signal.addEventListener('abort', () => {
						reject(context.signal.reason as Error);
					}, {once: true});
				})]);
			}
			return issued;
		};
		const store = memoryStore();
		const session = createAuthSession({store, refresh, refreshTimeout: 100});
		const other = createAuthSession({store, refresh, refreshTimeout: 100});
		session.addEventListener('refresherror', () => undefined);
		await session.signIn({...ledger.signIn(), expiresIn: 0});
		const waiters = Array.from({length: 5}, async () => session.getAccessToken().catch((error: unknown) => error));
		await vi.advanceTimersByTimeAsync(101);
		for (const outcome of await Promise.all(waiters)) {
			expect(outcome).toMatchObject({code: 'REFRESH_TIMEOUT'});
		}
		// Another holder asks meanwhile: it waits for the lock, it does not present rt.1.
		const elsewhere = other.getAccessToken();
		await vi.advanceTimersByTimeAsync(lateAnswerGrace / 2);
		expect(ledger.presented).toEqual(['rt.1']);
		answer.resolve(null);
		await vi.advanceTimersByTimeAsync(0);
		expect(await elsewhere).toBe('at.2');
		expect(await session.getAccessToken()).toBe('at.2');
		await session.refresh();
		expect(ledger.presented).toEqual(['rt.1', 'rt.2']);
		expect(ledger.reuses).toBe(0);
	});
});
