/**
 * Issue 16, item 3, in the session: a token endpoint's 200 that the refresh then rejects (an ID-token check,
 * say) has rotated the refresh token at the server. What the refresh handed over with `keep()` is committed,
 * so the next refresh presents the new refresh token; the control shows what happens without it.
 */
import {describe, expect, it} from 'vitest';
import {createAuthSession, memoryStore, RefreshError, type RefreshContext} from '../../src/index.js';
import {Ledger} from './ledger.js';

async function rejectOnce(useKeep: boolean): Promise<{ledger: Ledger; first: unknown; next: string | null}> {
	const ledger = new Ledger();
	let rejected = false;
	const refresh = async (context: RefreshContext) => {
		const issued = ledger.grant(context);
		if (issued && !rejected) {
			rejected = true;
			if (useKeep) {
				context.keep?.(issued);
			}
			throw new Error('unexpected JWT "iss" (response parameter) value');
		}
		return issued;
	};
	const store = memoryStore();
	const session = createAuthSession({store, refresh});
	session.addEventListener('refresherror', () => undefined);
	await session.signIn({...ledger.signIn(), expiresIn: 0});
	const first = await session.getAccessToken().catch((error: unknown) => error);
	const next = await session.getAccessToken().catch(() => null);
	return {ledger, first, next};
}

describe('a 200 rejected after the server rotated the refresh token', () => {
	it('is kept: the requests that waited fail, the next refresh presents the new refresh token, no reuse', async () => {
		const {ledger, first, next} = await rejectOnce(true);
		expect(first).toBeInstanceOf(RefreshError);
		expect(ledger.presented).toEqual(['rt.1', 'rt.2']);
		expect(ledger.reuses).toBe(0);
		// The kept answer's access token was never sent: it came from a rejected answer.
		expect(next).toBe('at.3');
	});

	it('control: without keep(), the spent refresh token is presented again and the sign-in is revoked', async () => {
		const {ledger, next} = await rejectOnce(false);
		expect(ledger.presented).toEqual(['rt.1', 'rt.1']);
		expect(ledger.reuses).toBe(1);
		expect(next).toBeNull();
	});

	it('keep() refuses what is not a TokenSet with a TypeError that shows no token', async () => {
		let thrown: unknown;
		const session = createAuthSession({
			refresh: async context => {
				try {
					context.keep?.({accessToken: 'secret value'.replace(' ', '\n')});
				} catch (error) {
					thrown = error;
				}
				return null;
			},
		});
		await session.signIn({accessToken: 'a', refreshToken: 'r', expiresIn: 0});
		await session.getAccessToken().catch(() => null);
		expect(thrown).toBeInstanceOf(TypeError);
		expect(String(thrown)).toMatch(/RefreshContext\.keep: expected a TokenSet/);
		expect(String(thrown)).not.toContain('secret');
	});
});
