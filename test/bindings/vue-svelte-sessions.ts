// Sessions for the Vue and Svelte binding tests: a real session whose refreshes the test answers, a wrapper
// counting the listeners a binding holds on it, and a hand-driven source for orderings a real session cannot
// be paused in.
import {createAuthSession, type AuthSession, type AuthSnapshot, type TokenSet} from '../../src/index.js';
import {deferred, type Deferred} from '../helpers/deferred.js';

/** A memory-held session whose `refresh` waits for the test to answer it. */
export interface TestSession {
	readonly session: AuthSession;
	/** The refreshes started and not answered yet, oldest first. */
	readonly pending: Array<Deferred<TokenSet | null>>;
	/** The next refresh the session starts (already started, or the next to start), to answer. */
	nextRefresh(): Promise<Deferred<TokenSet | null>>;
	/** Refreshes the session, answering with `tokens`; resolves once the refreshed state is published. */
	refreshWith(tokens: TokenSet): Promise<void>;
}

export function testSession(): TestSession {
	const pending: Array<Deferred<TokenSet | null>> = [];
	let started = deferred<void>();
	const session = createAuthSession({
		refresh: async () => {
			const answer = deferred<TokenSet | null>();
			pending.push(answer);
			started.resolve();
			started = deferred<void>();
			return answer.promise;
		},
	});
	const nextRefresh = async () => {
		while (pending.length === 0) await started.promise;
		return pending.shift()!;
	};
	return {
		session,
		pending,
		nextRefresh,
		async refreshWith(tokens) {
			const done = session.refresh();
			(await nextRefresh()).resolve(tokens);
			await done;
		},
	};
}

/** What the bindings read from a session, with the listeners it holds counted. */
export interface CountedSource {
	getSnapshot(): AuthSnapshot;
	subscribe(listener: () => void): () => void;
	/** Listeners subscribed and not unsubscribed yet. */
	readonly active: number;
	/** Calls of `subscribe` so far. */
	readonly subscribed: number;
}

/** Wraps `session.subscribe` to count the listeners a binding holds. */
export function counted(session: Pick<AuthSession, 'getSnapshot' | 'subscribe'>): CountedSource {
	let active = 0;
	let subscribed = 0;
	return {
		getSnapshot: () => session.getSnapshot(),
		subscribe(listener) {
			subscribed++;
			active++;
			const unsubscribe = session.subscribe(listener);
			let done = false;
			return () => {
				if (!done) {
					done = true;
					active--;
				}
				unsubscribe();
			};
		},
		get active() {
			return active;
		},
		get subscribed() {
			return subscribed;
		},
	};
}

/** A source whose snapshot the test replaces synchronously (`set`), notifying its listeners. */
export interface ManualSource {
	getSnapshot(): AuthSnapshot;
	subscribe(listener: () => void): () => void;
	set(change: Partial<AuthSnapshot>): void;
}

export function manualSource(initial: Partial<AuthSnapshot> = {}): ManualSource {
	let snapshot: AuthSnapshot = Object.freeze({status: 'signedOut', expiresAt: null, ready: true, error: null, ...initial});
	const listeners = new Set<() => void>();
	return {
		getSnapshot: () => snapshot,
		subscribe(listener) {
			const own = () => listener();
			listeners.add(own);
			return () => listeners.delete(own);
		},
		set(change) {
			snapshot = Object.freeze({...snapshot, ...change});
			for (const listener of [...listeners]) listener();
		},
	};
}

/** Tokens for a sign-in or a refresh, distinct each time (the lifetime too, so every refresh moves `expiresAt`). */
let issued = 0;
export function tokens(lifetimeSeconds = 600): TokenSet {
	issued++;
	return {accessToken: `access-${issued}`, refreshToken: `refresh-${issued}`, expiresIn: lifetimeSeconds + issued};
}
