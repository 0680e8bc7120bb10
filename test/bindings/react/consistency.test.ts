import {act, startTransition, use, useLayoutEffect} from 'react';
import {createRoot} from 'react-dom/client';
import {describe, expect, it, onTestFinished} from 'vitest';
import type {AuthSession} from '../../../src/index.js';
import {useAuth} from '../../../src/react/index.js';
import {deferred} from '../../helpers/deferred.js';
import {actEnvironment, controlledSession, h, mount} from './harness.js';

const count = 200;

/**
 * What the items' layout effects saw: React runs them after applying every DOM change of a commit, all in
 * one synchronous pass, so each observation is the statuses on screen at the end of one commit, and the
 * `commit` number (bumped once per synchronous pass) tells which items changed in the same commit.
 */
function observer(container: HTMLElement) {
	const observations: Array<{commit: number; shown: string[]}> = [];
	let commit = 0;
	let open = false;
	const observe = () => {
		if (!open) {
			open = true;
			commit++;
			queueMicrotask(() => {
				open = false;
			});
		}
		const shown = [...container.querySelectorAll<HTMLElement>('[data-item]')].map(element => element.dataset.status ?? '');
		observations.push({commit, shown: [...new Set(shown)]});
	};
	return {observations, observe};
}

function list(session: AuthSession, observe: () => void, gate?: {at: number; reached: () => void; promise: Promise<unknown>}) {
	function Item({index}: {index: number}) {
		const status = useAuth(session, snapshot => snapshot.status);
		if (gate !== undefined && index === gate.at) {
			gate.reached();
			// Suspends this render half-way through the list until the test lets it go on.
			use(gate.promise);
		}
		useLayoutEffect(observe, [status]);
		return h('li', {'data-item': '', 'data-status': status});
	}
	return h('ul', null, Array.from({length: count}, (_, index) => h(Item, {key: index, index})));
}

describe(`${count} components reading one session`, () => {
	it('a sign-out reaches all of them in one commit, and every commit shows one status', async () => {
		const {session} = controlledSession();
		const container = document.createElement('div');
		const {observations, observe} = observer(container);
		await mount(list(session, observe), container);
		expect(observations.at(-1)?.shown).toEqual(['signedIn']);
		const before = observations.length;
		await act(async () => {
			await session.signOut();
		});
		const after = observations.slice(before);
		expect(after).toHaveLength(count);
		expect(new Set(after.map(observation => observation.commit)).size).toBe(1);
		for (const observation of after) {
			expect(observation.shown).toEqual(['signedOut']);
		}
	});

	it('a sign-out while a concurrent render is half-way through the list: the commit shows one status (no tearing)', async () => {
		const {session} = controlledSession();
		// Real scheduling: React yields to the browser during the transition, as in an app.
		actEnvironment(false);
		const container = document.createElement('div');
		document.body.append(container);
		const root = createRoot(container);
		onTestFinished(() => {
			root.unmount();
			container.remove();
		});
		const {observations, observe} = observer(container);
		const reached = deferred<undefined>();
		const gate = deferred<undefined>();
		const committed = deferred<undefined>();
		let seen = 0;
		const countCommits = () => {
			observe();
			seen++;
			if (seen >= count) {
				committed.resolve(undefined);
			}
		};
		startTransition(() => {
			root.render(list(session, countCommits, {at: count / 2, reached: () => reached.resolve(undefined), promise: gate.promise}));
		});
		// The first half has rendered `signedIn`; the session signs out before the second half renders.
		await reached.promise;
		await session.signOut();
		gate.resolve(undefined);
		await committed.promise;
		expect(observations.length).toBeGreaterThanOrEqual(count);
		for (const observation of observations) {
			expect(observation.shown).toHaveLength(1);
		}
		expect(observations.at(-1)?.shown).toEqual(['signedOut']);
		expect(container.querySelectorAll('[data-status="signedOut"]')).toHaveLength(count);
	});
});
