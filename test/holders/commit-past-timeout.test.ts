import {afterEach, describe, expect, it, vi} from 'vitest';
import {createAuthSession, memoryStore, type TokenStore} from '../../src/index.js';
import {deferred} from '../helpers/deferred.js';

afterEach(() => {
	vi.useRealTimers();
});

describe('a commit still being written when the refresh timeout fires', () => {
	// Without the lock kept until the write lands, the second holder reads generation 0 and presents r0 again.
	it('keeps the lock until it lands: the next holder reads the new generation and never spends the rotated refresh token', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
		const inner = memoryStore();
		const commitGate = deferred<void>();
		let slow = true;
		const store: TokenStore = {
			...inner,
			async compareAndSet(expected, next) {
				if (slow) {
					slow = false;
					await commitGate.promise;
				}
				return inner.compareAndSet!(expected, next);
			},
		};
		const presented: string[] = [];
		let issued = 0;
		const refresh = async ({tokens}: {tokens: {refreshToken?: string | undefined} | null}) => {
			presented.push(tokens?.refreshToken ?? '');
			issued++;
			return {accessToken: `a${issued}`, refreshToken: `r${issued}`};
		};
		const first = createAuthSession({store, refresh, refreshTimeout: 30});
		const second = createAuthSession({store, refresh, refreshTimeout: 10_000});
		first.addEventListener('refresherror', () => undefined);
		await first.signIn({accessToken: 'a0', refreshToken: 'r0'});

		const firstRefresh = first.refresh().catch((error: unknown) => error);
		await vi.advanceTimersByTimeAsync(31);
		// The new tokens are handed over at once: a write the store has not answered stalls no request.
		expect(await firstRefresh).toMatchObject({accessToken: 'a1'});
		const secondRefresh = second.refresh();
		await vi.advanceTimersByTimeAsync(0);
		commitGate.resolve();
		await vi.advanceTimersByTimeAsync(0);
		expect(await secondRefresh).toMatchObject({accessToken: 'a2'});
		expect(presented).toEqual(['r0', 'r1']);
	});
});
