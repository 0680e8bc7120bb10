import {describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession, type RefreshFunction} from '../../src/index.js';
import {flush} from '../helpers/deferred.js';
import {useMsw} from '../helpers/msw.js';
import {api, AuthServer, outcome} from './auth-server.js';

const msw = useMsw();

describe('a token whose lifetime ran out during a slow refresh', () => {
	it('is not taken as fresh: the requests after it cost no refresh each', async () => {
		const server = new AuthServer(msw);
		let time = 1_000_000;
		let refreshes = 0;
		// The token endpoint takes 10 s of the fake clock per call, and issues 5 s tokens.
		const refresh: RefreshFunction = async context => {
			refreshes++;
			const result = await server.refresh(context);
			if (refreshes > 1) {
				time += 10_000;
			}
			return result;
		};
		const session = createAuthSession({now: () => time, refresh});
		await session.signIn(server.signIn('A'));
		const client = createAuthClient(session, {baseUrl: api});
		server.lifetime = 5;
		time += 300_000;

		const held = server.hold();
		const first = outcome(client.get('api/0').json());
		await held.arrived(1);
		expect(session.getSnapshot().status).toBe('refreshing');
		time += 10_000;
		held.release();
		expect(await first).toBe('ok A');
		await flush();
		expect(refreshes).toBe(1);

		const outcomes: string[] = [];
		for (const path of ['1', '2', '3', '4', '5']) {
			outcomes.push(await outcome(client.get(`api/${path}`).json()));
		}

		expect(outcomes).toEqual(['ok A', 'ok A', 'ok A', 'ok A', 'ok A']);
		expect(refreshes).toBe(1);
		expect(server.counters.tokenCalls).toBe(1);
		expect(new Set(server.sent.slice(-6)).size).toBe(1);
	});
});
