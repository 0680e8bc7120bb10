import {act, StrictMode, useEffect, useState} from 'react';
import {describe, expect, it, onTestFinished} from 'vitest';
import {createAuthSession, memoryStore, type TokenSet} from '../../../src/index.js';
import {isSignedIn, useAuth, useAuthClient} from '../../../src/react/index.js';
import {deferred} from '../../helpers/deferred.js';
import {h, mount} from './harness.js';

/** The API: records the Authorization header of every request that was not aborted, answers a profile. */
function fakeApi() {
	const sent: Array<string | null> = [];
	const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
		const request = new Request(input, init);
		request.signal.throwIfAborted();
		sent.push(request.headers.get('authorization'));
		return Response.json({name: 'Ada'});
	};
	return {sent, fetch};
}

describe('<StrictMode>', () => {
	it('a component that requests through useAuthClient on mount, on an expired token: exactly one refresh, one request sent, never the expired token', async () => {
		let refreshes = 0;
		const answer = deferred<TokenSet>();
		const session = createAuthSession({
			store: memoryStore({accessToken: 'expired', refreshToken: 'r0', expiresAt: Date.now() - 60_000}),
			refresh: async () => {
				refreshes++;
				return answer.promise;
			},
		});
		onTestFinished(() => {
			session.dispose();
		});
		const api = fakeApi();
		const loaded = deferred<undefined>();
		const renders = {count: 0};
		const effects = {count: 0};
		function Profile() {
			renders.count++;
			// Options written inline: the same data on every render keeps the same client.
			const client = useAuthClient(session, {prefix: `${location.origin}/api/`, fetch: api.fetch});
			const signedIn = useAuth(session, isSignedIn);
			const [name, setName] = useState('…');
			useEffect(() => {
				effects.count++;
				const controller = new AbortController();
				client.get('me', {signal: controller.signal}).json<{name: string}>().then(me => {
					setName(me.name);
					loaded.resolve(undefined);
				}, () => undefined);
				return () => {
					controller.abort();
				};
			}, [client]);
			return h('p', null, signedIn ? name : 'Sign in');
		}
		const {container} = await mount(h(StrictMode, null, h(Profile)));
		// StrictMode rendered twice and ran the effect twice (the first request aborted by its cleanup).
		expect(renders.count).toBe(2);
		expect(effects.count).toBe(2);
		expect(refreshes).toBe(1);
		await act(async () => {
			answer.resolve({accessToken: 'fresh', refreshToken: 'r1', expiresIn: 600});
			await loaded.promise;
		});
		expect(container.textContent).toBe('Ada');
		expect(refreshes).toBe(1);
		expect(api.sent).toEqual(['Bearer fresh']);
		// The client kept its identity through the re-renders (setName), so the effect did not run again.
		expect(effects.count).toBe(2);
	});
});
