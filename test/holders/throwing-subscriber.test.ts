import {describe, expect, it, onTestFinished} from 'vitest';
import {createAuthSession, memoryStore} from '../../src/index.js';
import {flush} from '../helpers/deferred.js';
import {useMsw} from '../helpers/msw.js';
import {AuthServer, storedAccessToken} from './auth-server.js';

const msw = useMsw();

/** Collects uncaught exceptions for the rest of the test (and keeps them from failing the run). */
function catchUncaught(): unknown[] {
	const caught: unknown[] = [];
	const onUncaught = (error: unknown): void => {
		caught.push(error);
	};
	process.on('uncaughtException', onUncaught);
	onTestFinished(() => {
		process.off('uncaughtException', onUncaught);
	});
	return caught;
}

describe('a store subscriber that throws', () => {
	it('does not make signIn reject: the write landed, the error surfaces on its own', async () => {
		const server = new AuthServer(msw);
		const caught = catchUncaught();
		const store = memoryStore();
		const boom = new Error('subscriber failed');
		store.subscribe?.(() => {
			throw boom;
		});
		let notified = 0;
		store.subscribe?.(() => {
			notified++;
		});
		const session = createAuthSession({store, refresh: server.refresh});
		const other = createAuthSession({store, refresh: server.refresh});
		const a = server.signIn('A');

		await expect(session.signIn(a)).resolves.toBeUndefined();
		await flush();

		expect(caught).toEqual([boom]);
		expect(notified).toBe(1);
		expect(await storedAccessToken(store)).toBe(a.accessToken);
		expect(await other.getAccessToken()).toBe(a.accessToken);
		expect(session.getSnapshot()).toMatchObject({status: 'signedIn', error: null});
	});
});
