import {customRef, getCurrentInstance, getCurrentScope, inject, onBeforeMount, onMounted, onScopeDispose, ssrContextKey, type Ref} from 'vue';
import type {AuthSnapshot} from '../types/session.js';
import {checkSession, type AuthSnapshotSource} from '../bindings/session-source.js';
import {serverSnapshot} from '../bindings/server-snapshot.js';

/**
 * The session's state as read-only Vue refs, returned by {@link useAuth}. Destructure it freely (each field is
 * its own ref); in a template the refs of `<script setup>` unwrap (`{{ status }}`). Reading a ref always
 * gives the session's current value. Assigning one throws a `TypeError`: change the session instead
 * (`signIn`, `signOut`, `refresh`).
 */
export interface AuthState {
	/** The whole {@link AuthSnapshot}: frozen, and a new object on every change. */
	readonly snapshot: Readonly<Ref<AuthSnapshot>>;
	/** `signedOut`, `signedIn`, or `refreshing` while a refresh runs (the tokens are still held then). */
	readonly status: Readonly<Ref<AuthSnapshot['status']>>;
	/** `true` while the session holds tokens (`status` is `signedIn` or `refreshing`): a background refresh does not change it. */
	readonly signedIn: Readonly<Ref<boolean>>;
	/** When the access token expires (epoch ms), or `null` when unknown or signed out. */
	readonly expiresAt: Readonly<Ref<number | null>>;
	/**
	 * `false` until the session's store has been read once (an asynchronous store such as `indexedDbStore`);
	 * until then `status` is `signedOut` for want of knowing better. Await {@link whenReady} before deciding.
	 */
	readonly ready: Readonly<Ref<boolean>>;
	/** The last refresh failure, cleared by the next success, sign-in or sign-out. */
	readonly error: Readonly<Ref<Error | null>>;
}

/** One field: how it is read from a snapshot, and how its dependents are told it changed. */
interface Field {
	readonly pick: (snapshot: AuthSnapshot) => unknown;
	trigger: () => void;
}

/**
 * The session's state as read-only reactive refs ({@link AuthState}), for components, composables, Pinia
 * stores and router guards alike: the session is passed in (no provide/inject), and the state is read
 * synchronously from `session.getSnapshot()`, so it is never `undefined`.
 *
 * - In a component, the refs follow the session from `onBeforeMount` until the component unmounts (a server
 *   render, which never mounts, leaves no listener on the session).
 * - In a component rendered on the server (`renderToString` and the other renderers of `vue/server-renderer`)
 *   or hydrated over server-rendered HTML (`createSSRApp(…).mount(el)`), the refs read {@link serverSnapshot}
 *   (signed out, `ready: false`) until the component has mounted, then the session's snapshot: the hydrating
 *   render matches the server's HTML whatever the browser's store holds, and the component re-renders with
 *   the real state right after. A component mounted in the browser without hydration reads the session at once.
 * - In another effect scope (a Pinia setup store, `effectScope().run()`), from now until the scope stops.
 * - Outside any effect scope (a router guard, plain code), nothing subscribes: each read returns the current
 *   value, but effects are not re-run by changes. Call it inside an effect scope to react.
 *
 * A ref triggers its effects only when its own value changes: a component that reads `signedIn` does not
 * re-render on a background refresh.
 *
 * @param session - The session to follow (any object with `getSnapshot()` and `subscribe()`).
 * @throws TypeError when `session` is not one.
 *
 * @example
 * ```ts
 * import { useAuth } from 'ky-auth/vue';
 * import type { AuthSession } from 'ky-auth';
 * declare const session: AuthSession;
 *
 * const { status, signedIn, ready } = useAuth(session);
 * if (ready.value && !signedIn.value) console.log('signed out', status.value);
 * ```
 */
export function useAuth(session: AuthSnapshotSource): AuthState {
	checkSession('useAuth', session);
	const gate = {server: rendersServerView()};
	const current = (): AuthSnapshot => (gate.server ? serverSnapshot : session.getSnapshot());
	const fields: Field[] = [];
	const field = <T>(name: keyof AuthState, pick: (snapshot: AuthSnapshot) => T): Readonly<Ref<T>> => {
		const entry: Field = {pick, trigger: () => {}};
		fields.push(entry);
		return customRef<T>((track, trigger) => {
			entry.trigger = trigger;
			return {
				get() {
					track();
					return pick(current());
				},
				set() {
					throw new TypeError(`useAuth: ${name} is read-only; change the session instead (signIn, signOut, refresh)`);
				},
			};
		});
	};
	const state: AuthState = Object.freeze({
		snapshot: field('snapshot', snapshot => snapshot),
		status: field('status', snapshot => snapshot.status),
		signedIn: field('signedIn', snapshot => snapshot.status !== 'signedOut'),
		expiresAt: field('expiresAt', snapshot => snapshot.expiresAt),
		ready: field('ready', snapshot => snapshot.ready),
		error: field('error', snapshot => snapshot.error),
	});
	const notify = getCurrentScope() ? follow(session, current, fields) : undefined;
	if (gate.server) {
		// Never runs on the server; in the browser, once hydration is done: from now on, the session's own state.
		onMounted(() => {
			gate.server = false;
			notify?.();
		});
	}
	return state;
}

/**
 * Whether a component being set up renders the server's view: during a server render (the SSR context is
 * provided), or while it is hydrated over server HTML (Vue sets the vnode's element, the server's node, before
 * setting the component up; a fresh client mount has none yet).
 */
function rendersServerView(): boolean {
	const instance = getCurrentInstance();
	if (instance === null || instance.isMounted) {
		return false;
	}
	return inject(ssrContextKey, null) !== null || instance.vnode.el !== null;
}

/**
 * Subscribes for the current effect scope's lifetime; in a component that has not mounted yet, from `onBeforeMount`
 * (never on a server render). Returns what tells the fields that `current()` may have changed.
 */
function follow(session: AuthSnapshotSource, current: () => AuthSnapshot, fields: readonly Field[]): () => void {
	let seen = current();
	let unsubscribe: (() => void) | undefined;
	let stopped = false;
	const notify = () => {
		const previous = seen;
		seen = current();
		for (const {pick, trigger} of fields) {
			if (!Object.is(pick(previous), pick(seen))) {
				trigger();
			}
		}
	};
	const start = () => {
		if (stopped) {
			return;
		}
		unsubscribe = session.subscribe(notify);
		// Whatever changed between the call and the subscription (a component renders before it mounts).
		notify();
	};
	onScopeDispose(() => {
		stopped = true;
		unsubscribe?.();
		unsubscribe = undefined;
	});
	const instance = getCurrentInstance();
	if (instance && !instance.isMounted) {
		onBeforeMount(start);
	} else {
		start();
	}
	return notify;
}
