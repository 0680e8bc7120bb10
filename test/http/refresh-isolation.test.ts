import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession, type TokenSet} from '../../src/index.js';
import {startApiServer, type ApiServer} from '../helpers/api-server.js';

let server: ApiServer;

beforeAll(async () => {
	server = await startApiServer();
});

afterAll(async () => {
	await server.close();
});

describe('the refresh call never passes through the auth layer', () => {
	it('a refresh that calls through a ky-auth client works in Node: its requests go out untouched', async () => {
		const holder: {client?: ReturnType<typeof createAuthClient>} = {};
		const session = createAuthSession({
			refreshTimeout: 2000,
			refresh: async ({signal}) => {
				const body = await holder.client!.post('token', {signal, body: 'grant_type=refresh_token'}).json<{access_token: string}>();
				return {accessToken: body.access_token} satisfies TokenSet;
			},
		});
		holder.client = createAuthClient(session, {baseUrl: server.url});
		await session.signIn({accessToken: server.issue()});
		server.revokeAll();
		const calls = server.tokenCalls;
		const before = server.seen.length;
		await holder.client.get('echo');
		expect(server.tokenCalls).toBe(calls + 1);
		const attempts = server.seen.slice(before);
		expect(attempts.map(entry => entry.path)).toEqual(['/echo', '/echo']);
	});
});
