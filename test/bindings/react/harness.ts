import {act, createElement, type ReactNode} from 'react';
import {createRoot, type Root} from 'react-dom/client';
import {onTestFinished} from 'vitest';
import {createAuthSession, memoryStore, type AuthSession, type TokenSet} from '../../../src/index.js';
import {deferred, type Deferred} from '../../helpers/deferred.js';

/** `createElement`, short: the tests build elements without JSX so that they are linted like every other test. */
export const h = createElement;

/** Tells React that updates are wrapped in `act` (else it warns); the tearing test turns it off to let React yield. */
export function actEnvironment(on: boolean): void {
	Reflect.set(globalThis, 'IS_REACT_ACT_ENVIRONMENT', on);
}

/** Renders `element` (inside `act`) in a new root in `container`, unmounted and removed when the test ends. */
export async function mount(element: ReactNode, container = document.createElement('div')): Promise<{container: HTMLElement; root: Root}> {
	actEnvironment(true);
	document.body.append(container);
	const root = createRoot(container);
	onTestFinished(async () => {
		await act(async () => {
			root.unmount();
		});
		container.remove();
	});
	await act(async () => {
		root.render(element);
	});
	return {container, root};
}

/** A session whose refreshes the test answers one by one, and that counts them. */
export interface ControlledSession {
	readonly session: AuthSession;
	/** How many times the refresh callback ran. */
	readonly refreshes: () => number;
	/** Resolves when the refresh callback runs next; `answer` then returns new tokens (a later expiry each time). */
	readonly nextRefresh: () => Promise<{answer(): void}>;
}

/**
 * A session signed in from a seeded memory store (so `ready` and `signedIn` at once), whose refresh callback
 * waits for the test: each refresh returns a new access token expiring one second later than the previous one.
 */
export function controlledSession(initial: TokenSet = {accessToken: 'a0', refreshToken: 'r0', expiresIn: 600}): ControlledSession {
	let count = 0;
	let waiting: Deferred<{answer(): void}> = deferred();
	const session = createAuthSession({
		store: memoryStore(initial),
		refresh: async () => {
			count++;
			const answered = deferred<TokenSet>();
			const n = count;
			const current = waiting;
			waiting = deferred();
			current.resolve({answer: () => {
				answered.resolve({accessToken: `a${n}`, refreshToken: `r${n}`, expiresIn: 600 + n});
			}});
			return answered.promise;
		},
	});
	onTestFinished(() => {
		session.dispose();
	});
	return {session, refreshes: () => count, nextRefresh: async () => waiting.promise};
}

/** One background refresh, committed in two steps: it starts (status `refreshing`), then it ends with new tokens. */
export async function backgroundRefresh({session, nextRefresh}: ControlledSession): Promise<void> {
	let finished: Promise<unknown> = Promise.resolve();
	let answer = (): void => undefined;
	await act(async () => {
		const called = nextRefresh();
		finished = session.refresh();
		({answer} = await called);
	});
	if (session.getSnapshot().status !== 'refreshing') {
		throw new Error(`expected the session to be refreshing, got ${session.getSnapshot().status}`);
	}
	await act(async () => {
		answer();
		await finished;
	});
}
