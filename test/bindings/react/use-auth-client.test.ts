import type {KyInstance} from 'ky';
import {act, useState} from 'react';
import {describe, expect, it} from 'vitest';
import {type AuthClientOptions, type AuthSession} from '../../../src/index.js';
import {useAuth, useAuthClient} from '../../../src/react/index.js';
import {controlledSession, h, mount} from './harness.js';

/** The API: records each request's Authorization header. */
function fakeApi() {
	const sent: Array<string | null> = [];
	const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
		sent.push(new Request(input, init).headers.get('authorization'));
		return Response.json({ok: true});
	};
	return {sent, fetch};
}

/** Renders `useAuthClient(session, options())` and records every client it returned; `rerender` renders it again. */
async function clients(session: AuthSession, options: () => AuthClientOptions | undefined) {
	const seen: KyInstance[] = [];
	let rerender = (_session?: AuthSession): void => undefined;
	function Probe({initial}: {initial: AuthSession}) {
		const [current, setCurrent] = useState({session: initial});
		rerender = next => {
			setCurrent({session: next ?? current.session});
		};
		seen.push(useAuthClient(current.session, options()));
		return null;
	}
	await mount(h(Probe, {initial: session}));
	return {
		seen,
		async rerender(next?: AuthSession) {
			await act(async () => {
				rerender(next);
			});
		},
	};
}

describe('useAuthClient', () => {
	it('keeps one client across renders when the options are the same data written inline', async () => {
		const {session} = controlledSession();
		const probe = await clients(session, () => ({prefix: `${location.origin}/api/`, retry: {limit: 2, methods: ['get']}, headers: {'x-app': 'test'}}));
		for (let index = 0; index < 3; index++) {
			await probe.rerender();
		}
		expect(probe.seen).toHaveLength(4);
		expect(new Set(probe.seen).size).toBe(1);
	});

	it('one client per session and options object, shared by components; no options is one client per session', async () => {
		const first = controlledSession().session;
		const second = controlledSession().session;
		const options: AuthClientOptions = {prefix: `${location.origin}/api/`};
		const a = await clients(first, () => options);
		const b = await clients(first, () => options);
		const c = await clients(first, () => undefined);
		const d = await clients(first, () => undefined);
		const e = await clients(second, () => undefined);
		expect(a.seen[0]).toBe(b.seen[0]);
		expect(c.seen[0]).toBe(d.seen[0]);
		expect(c.seen[0]).not.toBe(a.seen[0]);
		expect(e.seen[0]).not.toBe(c.seen[0]);
	});

	it('a new client when the session or the options data change, or when an option holds a function made in render', async () => {
		const {session} = controlledSession();
		const other = controlledSession().session;
		let prefix = `${location.origin}/a/`;
		const probe = await clients(session, () => ({prefix}));
		prefix = `${location.origin}/b/`;
		await probe.rerender();
		await probe.rerender(other);
		await probe.rerender();
		expect(probe.seen).toHaveLength(4);
		expect(new Set(probe.seen).size).toBe(3);
		expect(probe.seen[3]).toBe(probe.seen[2]);

		// Documented: functions compare by identity, so options holding one made in render are new each time.
		const inline = await clients(session, () => ({hooks: {beforeRequest: [() => undefined]}}));
		await inline.rerender();
		expect(inline.seen[1]).not.toBe(inline.seen[0]);
	});

	it('a client kept by a component since mount sends the token of the moment (it holds no token)', async () => {
		const controlled = controlledSession();
		const {session} = controlled;
		const api = fakeApi();
		let kept: KyInstance | undefined;
		function Holder() {
			// Module-level constants are the usual way; inline works as long as `fetch` is stable.
			kept = useAuthClient(session, {prefix: `${location.origin}/api/`, fetch: api.fetch});
			return h('p', null, useAuth(session, snapshot => snapshot.status));
		}
		await mount(h(Holder));
		const client = kept;
		await client?.get('me');
		const refreshed = controlled.nextRefresh();
		await act(async () => {
			const done = session.refresh();
			(await refreshed).answer();
			await done;
		});
		expect(kept).toBe(client);
		await client?.get('me');
		await act(async () => {
			await session.signIn({accessToken: 'other-user'});
		});
		await client?.get('me');
		expect(api.sent).toEqual(['Bearer a0', 'Bearer a1', 'Bearer other-user']);
	});

	it('is a createAuthClient client: a 401 refreshes and retries once', async () => {
		const controlled = controlledSession();
		const sent: Array<string | null> = [];
		const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
			const authorization = new Request(input, init).headers.get('authorization');
			sent.push(authorization);
			return authorization === 'Bearer a0' ? new Response(null, {status: 401}) : Response.json({ok: true});
		};
		const options: AuthClientOptions = {prefix: `${location.origin}/api/`, fetch};
		let client: KyInstance | undefined;
		function Holder() {
			client = useAuthClient(controlled.session, options);
			return null;
		}
		await mount(h(Holder));
		const refreshed = controlled.nextRefresh();
		const response = client?.get('me').json();
		(await refreshed).answer();
		await expect(response).resolves.toEqual({ok: true});
		expect(sent).toEqual(['Bearer a0', 'Bearer a1']);
	});
});

describe('argument checks', () => {
	it('useAuth and useAuthClient throw a TypeError naming what they expected, before calling any hook', () => {
		const {session} = controlledSession();
		expect(() => useAuth(null as never)).toThrow(new TypeError('useAuth: session: expected an AuthSession (an object with getSnapshot() and subscribe()), got null'));
		expect(() => useAuth(session, 'status' as never)).toThrow(new TypeError('useAuth: selector: expected a function, got a string ("status")'));
		expect(() => useAuth(session, snapshot => snapshot.status, true as never)).toThrow(new TypeError('useAuth: isEqual: expected a function, got a boolean (true)'));
		expect(() => useAuthClient({} as never)).toThrow(new TypeError('useAuthClient: session: expected a session made by createAuthSession(), got an object'));
		expect(() => useAuthClient(session, 'https://api.example.com' as never)).toThrow(TypeError);
		expect(() => useAuthClient(session, 'https://api.example.com' as never)).toThrow(/^useAuthClient: options: expected an object of createAuthClient options, got a string/);
	});
});
