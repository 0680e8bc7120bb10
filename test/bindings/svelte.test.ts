import {flushSync} from 'svelte';
import {get} from 'svelte/store';
import {afterEach, describe, expect, it} from 'vitest';
import {render} from 'vitest-browser-svelte';
import {createAuthSession, type AuthSession, type AuthSnapshot, type TokenSet} from '../../src/index.js';
import {readableAuth, whenReady} from '../../src/svelte/index.js';
import {deferred} from '../helpers/deferred.js';
import RunesStatus from './svelte-runes-status.svelte';
import Status from './svelte-status.svelte';
import {counted, testSession, tokens} from './vue-svelte-sessions.js';

const sessions: AuthSession[] = [];
function track<T extends {session: AuthSession}>(created: T): T {
	sessions.push(created.session);
	return created;
}
afterEach(() => {
	for (const session of sessions.splice(0)) session.dispose();
});

describe('ky-auth/svelte readableAuth: the store contract', () => {
	it('calls a new subscriber synchronously with the current snapshot, then after every change', async () => {
		const {session, refreshWith} = track(testSession());
		const auth = readableAuth(session);
		const seen: AuthSnapshot[] = [];
		const stop = auth.subscribe(snapshot => seen.push(snapshot));
		expect(seen).toEqual([session.getSnapshot()]);
		expect(seen[0]).toBe(session.getSnapshot());

		await session.signIn(tokens());
		await refreshWith(tokens());
		await session.signOut();
		// Every call is a new snapshot (the new tokens may land while the status still reads refreshing).
		expect(seen.every((snapshot, index) => index === 0 || snapshot !== seen[index - 1])).toBe(true);
		const statuses = seen.map(snapshot => snapshot.status).filter((status, index, all) => status !== all[index - 1]);
		expect(statuses).toEqual(['signedOut', 'signedIn', 'refreshing', 'signedIn', 'signedOut']);
		expect(seen.at(-1)).toBe(session.getSnapshot());
		stop();
	});

	it('subscribes to the session on the first subscriber only, and unsubscribes when the last leaves', async () => {
		const {session} = track(testSession());
		const source = counted(session);
		const auth = readableAuth(source);
		expect(source.subscribed).toBe(0);

		const first: string[] = [];
		const second: string[] = [];
		const stopFirst = auth.subscribe(snapshot => first.push(snapshot.status));
		const stopSecond = auth.subscribe(snapshot => second.push(snapshot.status));
		expect(source.subscribed).toBe(1);
		expect(source.active).toBe(1);

		await session.signIn(tokens());
		stopFirst();
		expect(source.active).toBe(1);
		await session.signOut();
		stopSecond();
		expect(source.active).toBe(0);
		expect(first).toEqual(['signedOut', 'signedIn']);
		expect(second).toEqual(['signedOut', 'signedIn', 'signedOut']);

		// Nothing listens while no one subscribes; the next first subscriber starts again.
		await session.signIn(tokens());
		expect(first).toHaveLength(2);
		const stopThird = auth.subscribe(() => {});
		expect(source.subscribed).toBe(2);
		stopThird();
		expect(source.active).toBe(0);
	});

	it('a subscriber after a change made while no one listened gets the current snapshot, not a stale one', async () => {
		const {session} = track(testSession());
		const auth = readableAuth(session);
		auth.subscribe(() => {})();
		await session.signIn(tokens());
		let first: AuthSnapshot | undefined;
		const stop = auth.subscribe(snapshot => (first ??= snapshot));
		expect(first).toBe(session.getSnapshot());
		expect(first?.status).toBe('signedIn');
		stop();
	});

	it('works with get() from svelte/store, which leaves no listener', async () => {
		const {session} = track(testSession());
		const source = counted(session);
		await session.signIn(tokens());
		expect(get(readableAuth(source))).toBe(session.getSnapshot());
		expect(get(readableAuth(source, snapshot => snapshot.status))).toBe('signedIn');
		expect(source.subscribed).toBe(2);
		expect(source.active).toBe(0);
	});

	it('a selected primitive notifies only when it changes: 5 background refreshes call no one', async () => {
		const {session, refreshWith} = track(testSession());
		const source = counted(session);
		const signedIn = readableAuth(source, snapshot => snapshot.status !== 'signedOut');
		const seen: boolean[] = [];
		const stop = signedIn.subscribe(value => seen.push(value));
		expect(seen).toEqual([false]);
		await session.signIn(tokens());
		for (let refresh = 0; refresh < 5; refresh++) await refreshWith(tokens());
		expect(seen).toEqual([false, true]);
		await session.signOut();
		expect(seen).toEqual([false, true, false]);
		stop();
		expect(source.active).toBe(0);
	});

	it('a select function with more than one parameter is still called as a selector', () => {
		const {session} = track(testSession());
		// A derived() callback with two parameters would be taken for one that calls set() itself.
		const label = (snapshot: AuthSnapshot, prefix = 'status: ') => `${prefix}${snapshot.status}`;
		expect(get(readableAuth(session, label))).toBe('status: signedOut');
	});

	it('rejects what is not a session, and a select that is not a function, with a TypeError', () => {
		expect(() => readableAuth(null as unknown as AuthSession)).toThrow(new TypeError('readableAuth: expected an AuthSession (an object with getSnapshot() and subscribe()), got null'));
		const {session} = track(testSession());
		expect(() => readableAuth(session, 'status' as unknown as (snapshot: AuthSnapshot) => string)).toThrow(new TypeError('readableAuth: select: expected a function, got a string ("status")'));
	});
});

describe('ky-auth/svelte whenReady', () => {
	it('resolves once the store has been read, and leaves no listener', async () => {
		const read = deferred<TokenSet | null>();
		const session = createAuthSession({store: {get: () => read.promise, set: () => {}}});
		sessions.push(session);
		const source = counted(session);
		expect(get(readableAuth(source)).ready).toBe(false);
		const ready = whenReady(source);
		expect(source.active).toBe(1);
		read.resolve(tokens());
		await expect(ready).resolves.toMatchObject({ready: true, status: 'signedIn'});
		expect(source.active).toBe(0);
	});
});

describe('ky-auth/svelte in compiled components', () => {
	it('$store in a component follows sign-in, refresh and sign-out; unmounting unsubscribes', async () => {
		const {session, nextRefresh} = track(testSession());
		const source = counted(session);
		const screen = await render(Status, {props: {source}});
		const status = screen.getByTestId('status');
		const badge = screen.getByTestId('signed-in');
		await expect.element(status).toHaveTextContent('signedOut - true');
		await expect.element(badge).toHaveTextContent('out');
		expect(source.active).toBe(2);

		await session.signIn(tokens());
		const signedInAt = session.getSnapshot().expiresAt;
		await expect.element(status).toHaveTextContent(`signedIn ${signedInAt} true`);
		await expect.element(badge).toHaveTextContent('in');

		const refreshed = session.refresh();
		const answer = await nextRefresh();
		await expect.element(status).toHaveTextContent(`refreshing ${signedInAt} true`);
		answer.resolve(tokens());
		await refreshed;
		await expect.element(status).toHaveTextContent(`signedIn ${session.getSnapshot().expiresAt} true`);

		await session.signOut();
		await expect.element(status).toHaveTextContent('signedOut - true');
		await expect.element(badge).toHaveTextContent('out');

		await screen.unmount();
		expect(source.active).toBe(0);
	});

	it('with runes (fromStore + $derived): follows the session, an effect on "signed in?" skips 5 refreshes, unmounting unsubscribes', async () => {
		const {session, refreshWith} = track(testSession());
		const source = counted(session);
		const effects: boolean[] = [];
		const screen = await render(RunesStatus, {props: {source, onSignedIn: (signedIn: boolean) => effects.push(signedIn)}});
		const status = screen.getByTestId('runes-status');
		await expect.element(status).toHaveTextContent('signedOut -');
		expect(source.active).toBe(1);

		await session.signIn(tokens());
		await expect.element(status).toHaveTextContent(`signedIn ${session.getSnapshot().expiresAt}`);
		await expect.element(screen.getByTestId('runes-signed-in')).toHaveTextContent('in');
		for (let refresh = 0; refresh < 5; refresh++) {
			await refreshWith(tokens());
			flushSync();
		}
		await expect.element(status).toHaveTextContent(`signedIn ${session.getSnapshot().expiresAt}`);
		expect(effects).toEqual([false, true]);

		await session.signOut();
		await expect.element(screen.getByTestId('runes-signed-in')).toHaveTextContent('out');
		expect(effects).toEqual([false, true, false]);

		await screen.unmount();
		expect(source.active).toBe(0);
	});
});
