/**
 * Issue 16, item 4: a store write that never answers stalls no request. A plain get/set store (no lock, no
 * compareAndSet) whose `set` hangs once during a refresh: every request of the holder gets the new token at once;
 * the write is tried again after its bound and lands, so the store ends at the new generation.
 */
import {afterEach, describe, expect, it, vi} from 'vitest';
import {createAuthSession, type TokenRecord, type TokenStore} from '../../src/index.js';
import {commitTimeout} from '../../src/session/store/writes-in-flight.js';
import {Ledger} from './ledger.js';

afterEach(() => {
	vi.useRealTimers();
});

function plainStore(): {store: TokenStore; stored: () => unknown; hangNext: () => void} {
	let value: TokenRecord | null = null;
	let hang = false;
	return {
		store: {
			get: () => value,
			set(record: TokenRecord | null) {
				if (hang) {
					hang = false;
					return new Promise<void>(() => undefined);
				}
				value = record;
				return undefined;
			},
		},
		stored: () => value,
		hangNext() {
			hang = true;
		},
	};
}

describe('a store write that never answers, during a refresh', () => {
	it('stalls no request: all get the new token, one refresh; the write is tried again and lands', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
		const ledger = new Ledger();
		const {store, stored, hangNext} = plainStore();
		const session = createAuthSession({store, refresh: async context => ledger.grant(context)});
		await session.signIn({...ledger.signIn(), expiresIn: 0});
		hangNext();
		const tokens = await Promise.all(Array.from({length: 20}, async () => session.getAccessToken()));
		expect(new Set(tokens)).toEqual(new Set(['at.2']));
		expect(ledger.presented).toEqual(['rt.1']);
		expect(stored()).toMatchObject({generation: 0});
		await vi.advanceTimersByTimeAsync(commitTimeout + 1000);
		expect(stored()).toMatchObject({generation: 1, tokens: {refreshToken: 'rt.2'}});
		expect(ledger.reuses).toBe(0);
	});
});
