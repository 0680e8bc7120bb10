import {memo, useState} from 'react';
import {act} from 'react';
import {describe, expect, it, vi} from 'vitest';
import type {AuthSession, AuthSnapshot} from '../../../src/index.js';
import {isSignedIn, shallowEqual, useAuth} from '../../../src/react/index.js';
import {backgroundRefresh, controlledSession, h, mount} from './harness.js';

const refreshCount = 5;

/** A component that renders `select`'s answer and counts its renders. */
function counted<T>(select: (session: AuthSession) => T) {
	const renders: {count: number; last?: T} = {count: 0};
	function Counted({session}: {session: AuthSession}) {
		renders.count++;
		renders.last = select(session);
		return h('span', null, JSON.stringify(renders.last));
	}
	return {renders, Counted};
}

describe('useAuth render counts across background refreshes', () => {
	it(`a component that selects "signed in?" renders once across ${refreshCount} refreshes; one that selects expiresAt renders on each`, async () => {
		const controlled = controlledSession();
		const signedIn = counted(session => useAuth(session, isSignedIn));
		const expiry = counted(session => useAuth(session, snapshot => snapshot.expiresAt));
		const status = counted(session => useAuth(session, snapshot => snapshot.status));
		const whole = counted(session => useAuth(session));
		const {session} = controlled;
		await mount(h('div', null, h(signedIn.Counted, {session}), h(expiry.Counted, {session}), h(status.Counted, {session}), h(whole.Counted, {session})));
		let changes = 0;
		const unsubscribe = session.subscribe(() => changes++);
		const expiries = [expiry.renders.last];
		for (let index = 0; index < refreshCount; index++) {
			await backgroundRefresh(controlled);
			expiries.push(expiry.renders.last);
		}
		unsubscribe();
		expect(controlled.refreshes()).toBe(refreshCount);
		expect(changes).toBeGreaterThanOrEqual(2 * refreshCount);
		expect(signedIn.renders).toEqual({count: 1, last: true});
		// Each refresh moved expiresAt once, and passed through `refreshing` (two status commits per refresh).
		expect(new Set(expiries).size).toBe(refreshCount + 1);
		expect(expiry.renders.count).toBe(1 + refreshCount);
		expect(status.renders.count).toBe(1 + 2 * refreshCount);
		// The whole snapshot re-renders on every change (the session may publish more than one per refresh).
		expect(whole.renders.count).toBe(1 + changes);
		expect(whole.renders.last).toBe(session.getSnapshot());
	});

	it('a selector that builds an object renders once with isEqual (shallowEqual), and once per change without it (never in a loop)', async () => {
		const controlled = controlledSession();
		const consoleError = vi.spyOn(console, 'error');
		const select = (snapshot: AuthSnapshot) => ({signedIn: isSignedIn(snapshot), ready: snapshot.ready});
		const withEquality = counted(session => useAuth(session, select, shallowEqual));
		const withoutEquality = counted(session => useAuth(session, select));
		const {session} = controlled;
		await mount(h('div', null, h(withEquality.Counted, {session}), h(withoutEquality.Counted, {session})));
		const first = withEquality.renders.last;
		let changes = 0;
		const unsubscribe = session.subscribe(() => changes++);
		for (let index = 0; index < refreshCount; index++) {
			await backgroundRefresh(controlled);
		}
		unsubscribe();
		expect(withEquality.renders.count).toBe(1);
		expect(withEquality.renders.last).toBe(first);
		// Without isEqual every new snapshot is a new selection, but the same snapshot always gives the same one:
		// React's "getSnapshot should be cached" check never fires and nothing renders in a loop.
		expect(changes).toBeGreaterThanOrEqual(2 * refreshCount);
		expect(withoutEquality.renders.count).toBe(1 + changes);
		expect(withoutEquality.renders.last).toEqual({signedIn: true, ready: true});
		expect(consoleError).not.toHaveBeenCalled();
		consoleError.mockRestore();
	});

	it('an inline selector with isEqual keeps the committed selection when its parent re-renders, so a memo child does not render', async () => {
		const {session} = controlledSession();
		const child = {count: 0};
		const Child = memo(function Child({value}: {value: {signedIn: boolean}}) {
			child.count++;
			return h('span', null, String(value.signedIn));
		});
		let rerender = (): void => undefined;
		function Parent() {
			const [tick, setTick] = useState(0);
			rerender = () => {
				setTick(tick + 1);
			};
			// A new selector function on every render.
			const value = useAuth(session, snapshot => ({signedIn: isSignedIn(snapshot)}), shallowEqual);
			return h(Child, {value});
		}
		await mount(h(Parent));
		for (let index = 0; index < 5; index++) {
			await act(async () => {
				rerender();
			});
		}
		expect(child.count).toBe(1);
	});
});
