import {afterEach, describe, expect, it} from 'vitest';
import {render} from 'vitest-browser-vue';
import {createSSRApp, defineComponent, effectScope, h, nextTick, onMounted, watchEffect, type PropType, type Ref} from 'vue';
import {renderToString} from 'vue/server-renderer';
import {createAuthSession, type AuthSession, type AuthSnapshot, type TokenSet} from '../../src/index.js';
import {useAuth, whenReady, type AuthSnapshotSource} from '../../src/vue/index.js';
import {deferred} from '../helpers/deferred.js';
import {counted, manualSource, testSession, tokens} from './vue-svelte-sessions.js';

const sourceProp = {source: {type: Object as PropType<AuthSnapshotSource>, required: true}} as const;

/** Renders every field the composable exposes. */
const Status = defineComponent({
	props: sourceProp,
	setup(props) {
		const {status, signedIn, expiresAt, ready, error} = useAuth(props.source);
		return () => h('p', {'data-testid': 'status'}, `${status.value} ${String(signedIn.value)} ${expiresAt.value ?? '-'} ${String(ready.value)} ${error.value?.message ?? '-'}`);
	},
});

/** Reads only `signedIn`, and counts its renders. */
function signedInBadge(renders: {count: number}) {
	return defineComponent({
		props: sourceProp,
		setup(props) {
			const {signedIn} = useAuth(props.source);
			return () => {
				renders.count++;
				return h('span', {'data-testid': 'badge'}, signedIn.value ? 'in' : 'out');
			};
		},
	});
}

const sessions: AuthSession[] = [];
function track<T extends {session: AuthSession}>(created: T): T {
	sessions.push(created.session);
	return created;
}
afterEach(() => {
	for (const session of sessions.splice(0)) session.dispose();
});

describe('ky-auth/vue useAuth in a component', () => {
	it('renders the status and follows sign-in, refresh and sign-out; unmounting removes its listener', async () => {
		const {session, nextRefresh} = track(testSession());
		const source = counted(session);
		const screen = await render(Status, {props: {source}});
		const text = screen.getByTestId('status');
		await expect.element(text).toHaveTextContent('signedOut false - true -');
		expect(source.active).toBe(1);

		await session.signIn(tokens());
		const signedInAt = session.getSnapshot().expiresAt;
		await expect.element(text).toHaveTextContent(`signedIn true ${signedInAt} true -`);

		const refreshed = session.refresh();
		const answer = await nextRefresh();
		await expect.element(text).toHaveTextContent(`refreshing true ${signedInAt} true -`);
		answer.resolve(tokens());
		await refreshed;
		const refreshedAt = session.getSnapshot().expiresAt;
		expect(refreshedAt).not.toBe(signedInAt);
		await expect.element(text).toHaveTextContent(`signedIn true ${refreshedAt} true -`);

		const failing = session.refresh();
		(await nextRefresh()).reject(new Error('token endpoint down'));
		await expect(failing).rejects.toThrow();
		const failure = session.getSnapshot().error;
		expect(failure).toBeInstanceOf(Error);
		await expect.element(text).toHaveTextContent(`signedIn true ${refreshedAt} true ${failure?.message}`);

		await session.signOut();
		await expect.element(text).toHaveTextContent('signedOut false - true -');

		await screen.unmount();
		expect(source.active).toBe(0);
	});

	it('a component reading only signedIn renders once per sign-in, not on 5 background refreshes', async () => {
		const {session, refreshWith} = track(testSession());
		const renders = {count: 0};
		const screen = await render(signedInBadge(renders), {props: {source: session}});
		await session.signIn(tokens());
		await expect.element(screen.getByTestId('badge')).toHaveTextContent('in');
		expect(renders.count).toBe(2);
		for (let refresh = 0; refresh < 5; refresh++) {
			await refreshWith(tokens());
			await nextTick();
		}
		expect(renders.count).toBe(2);
		await session.signOut();
		await expect.element(screen.getByTestId('badge')).toHaveTextContent('out');
		expect(renders.count).toBe(3);
	});

	it('a change between setup and mount is not missed by later changes', async () => {
		const source = manualSource();
		const Early = defineComponent({
			setup() {
				const {status} = useAuth(source);
				// Before the component subscribes (it does so when it mounts).
				source.set({status: 'signedIn', expiresAt: 1});
				return () => h('p', {'data-testid': 'early'}, status.value);
			},
		});
		const screen = await render(Early);
		const text = screen.getByTestId('early');
		await expect.element(text).toHaveTextContent('signedIn');
		source.set({status: 'signedOut', expiresAt: null});
		await expect.element(text).toHaveTextContent('signedOut');
	});

	it('called after mount (in onMounted), it follows the session at once', async () => {
		const {session} = track(testSession());
		const source = counted(session);
		const seen: string[] = [];
		const Late = defineComponent({
			setup() {
				onMounted(() => {
					const {status} = useAuth(source);
					watchEffect(() => seen.push(status.value), {flush: 'sync'});
				});
				return () => h('p', 'late');
			},
		});
		const screen = await render(Late);
		expect(source.active).toBe(1);
		await session.signIn(tokens());
		expect(seen).toEqual(['signedOut', 'signedIn']);
		await screen.unmount();
		expect(source.active).toBe(0);
	});

	it('a scope inside setup that stops before the component mounts never subscribes', async () => {
		const {session} = track(testSession());
		const source = counted(session);
		const Stopped = defineComponent({
			setup() {
				const inner = effectScope();
				inner.run(() => useAuth(source));
				inner.stop();
				return () => h('p', 'stopped');
			},
		});
		await render(Stopped);
		expect(source.subscribed).toBe(0);
	});

	it('a server render shows the server snapshot (signed out, not ready) and leaves no listener on the session (it never mounts)', async () => {
		const {session} = track(testSession());
		await session.signIn(tokens());
		const source = counted(session);
		const html = await renderToString(createSSRApp(Status, {source}));
		expect(html).toContain('signedOut false - false -');
		expect(source.subscribed).toBe(0);
	});
});

describe('ky-auth/vue useAuth outside components', () => {
	it('in a router guard (no component, no effect scope): the current state at once, never undefined, no listener left', async () => {
		const {session} = track(testSession());
		const source = counted(session);
		const guard = () => {
			const {ready, signedIn} = useAuth(source);
			return ready.value && !signedIn.value ? '/login' : true;
		};
		expect(guard()).toBe('/login');
		const kept = useAuth(source);
		await session.signIn(tokens());
		expect(guard()).toBe(true);
		// A state kept from before reads the current value too.
		expect(kept.status.value).toBe('signedIn');
		expect(kept.snapshot.value).toBe(session.getSnapshot());
		expect(source.subscribed).toBe(0);
	});

	it('in an effect scope (a Pinia setup store): reactive while the scope lives, unsubscribed when it stops', async () => {
		const {session, refreshWith} = track(testSession());
		const source = counted(session);
		const scope = effectScope();
		const seen: string[] = [];
		const state = scope.run(() => {
			const auth = useAuth(source);
			watchEffect(() => seen.push(auth.status.value), {flush: 'sync'});
			return auth;
		});
		expect(state).toBeDefined();
		expect(source.active).toBe(1);
		await session.signIn(tokens());
		await refreshWith(tokens());
		expect(seen).toEqual(['signedOut', 'signedIn', 'refreshing', 'signedIn']);

		scope.stop();
		expect(source.active).toBe(0);
		await session.signOut();
		expect(seen).toHaveLength(4);
	});

	it('the refs are read-only: assigning one throws and changes nothing', async () => {
		const {session} = track(testSession());
		await session.signIn(tokens());
		const scope = effectScope();
		const state = scope.run(() => useAuth(session))!;
		// @ts-expect-error -- the state's refs are read-only
		const assign = () => (state.status.value = 'signedOut');
		expect(assign).toThrow(new TypeError('useAuth: status is read-only; change the session instead (signIn, signOut, refresh)'));
		expect(() => ((state.signedIn as Ref<boolean>).value = false)).toThrow(TypeError);
		// The state object is frozen (modules are strict: assigning a frozen property throws).
		expect(() => ((state as {status: unknown}).status = null)).toThrow(TypeError);
		expect(state.status.value).toBe('signedIn');
		expect(state.signedIn.value).toBe(true);
		scope.stop();
	});

	it('rejects what is not a session with a TypeError naming what it got', () => {
		expect(() => useAuth(undefined as unknown as AuthSession)).toThrow(new TypeError('useAuth: expected an AuthSession (an object with getSnapshot() and subscribe()), got undefined'));
		expect(() => useAuth({getSnapshot: () => null} as unknown as AuthSession)).toThrow(/got an object$/);
	});
});

describe('ky-auth/vue whenReady', () => {
	/** A store whose first read the test answers. */
	function slowStore() {
		const read = deferred<TokenSet | null>();
		return {read, store: {get: () => read.promise, set: () => {}}};
	}

	it('resolves at once when the store was read synchronously', async () => {
		const {session} = track(testSession());
		expect(session.getSnapshot().ready).toBe(true);
		await expect(whenReady(session)).resolves.toBe(session.getSnapshot());
	});

	it('resolves with the first ready snapshot of an asynchronous store, and removes its listener', async () => {
		const {read, store} = slowStore();
		const session = createAuthSession({store});
		sessions.push(session);
		const source = counted(session);
		expect(useAuth(source).status.value).toBe('signedOut');
		let settled: AuthSnapshot | undefined;
		const ready = whenReady(source).then(snapshot => (settled = snapshot));
		await nextTick();
		expect(settled).toBeUndefined();
		expect(source.active).toBe(1);
		read.resolve(tokens());
		const snapshot = await ready;
		expect(snapshot).toMatchObject({ready: true, status: 'signedIn'});
		expect(source.active).toBe(0);
	});

	it('rejects with the reason when its signal aborts, and removes its listener', async () => {
		const {store} = slowStore();
		const session = createAuthSession({store});
		sessions.push(session);
		const source = counted(session);
		const controller = new AbortController();
		const waiting = whenReady(source, {signal: controller.signal});
		expect(source.active).toBe(1);
		const reason = new Error('gave up');
		controller.abort(reason);
		await expect(waiting).rejects.toBe(reason);
		expect(source.active).toBe(0);
		await expect(whenReady(source, {signal: controller.signal})).rejects.toBe(reason);
		expect(source.subscribed).toBe(1);
	});

	it('rejects options that are not options', () => {
		const {session} = track(testSession());
		expect(() => whenReady(session, {signal: 'soon' as unknown as AbortSignal})).toThrow(new TypeError('whenReady: options.signal: expected an AbortSignal, got a string ("soon")'));
		expect(() => whenReady(session, 5 as unknown as object)).toThrow(TypeError);
	});
});
