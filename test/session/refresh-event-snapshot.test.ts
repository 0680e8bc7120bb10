/**
 * Regression: the snapshot already shows the new tokens when the `refresh` event fires.
 */
import {describe, expect, it} from 'vitest';
import {createAuthSession} from '../../src/index.js';

describe('the snapshot is current when `refresh` fires', () => {
	it('a refresh listener sees the new expiresAt in getSnapshot()', async () => {
		let time = 1_000_000;
		let stored: unknown = null;
		// A TokenStore without subscribe (cookies, a server): nothing echoes the session's writes back.
		const store = {get: () => stored as never, set(value: unknown) {
			stored = value;
		}};
		const session = createAuthSession({store, now: () => time, refresh: async () => ({accessToken: 'new', expiresIn: 600})});
		await session.signIn({accessToken: 'old', expiresIn: 60});
		time += 10_000;
		const seen: Array<{event: number | null; snapshot: number | null}> = [];
		session.addEventListener('refresh', event => {
			seen.push({event: (event as CustomEvent<{expiresAt: number | null}>).detail.expiresAt, snapshot: session.getSnapshot().expiresAt});
		});
		await session.refresh();
		expect(seen).toHaveLength(1);
		expect(seen[0]!.snapshot).toBe(seen[0]!.event);
	});
});
