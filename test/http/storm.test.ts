import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createAuthClient, createAuthFetch, createAuthSession, memoryStore} from '../../src/index.js';
import {serverRefresh, startApiServer, type ApiServer} from '../helpers/api-server.js';

let server: ApiServer;

beforeEach(async () => {
	server = await startApiServer({tokenDelay: 20});
});

afterEach(async () => {
	await server.close();
});

async function signedInSession() {
	const session = createAuthSession({store: memoryStore(), refresh: serverRefresh(server)});
	await session.signIn({accessToken: server.issue(), refreshToken: 'rt-0', expiresIn: 300});
	return session;
}

describe('revocation storm against a real node:http server', () => {
	it('100 parallel GET and POST requests on a revoked token: one refresh, 100 retries, bodies intact', async () => {
		const session = await signedInSession();
		const api = createAuthClient(session, {baseUrl: server.url, retry: 0});
		server.revokeAll();
		const results = await Promise.all(Array.from({length: 100}, async (_, index) => (index % 2 === 0
			? api.get(`echo?i=${index}`).json<{method: string}>()
			: api.post('echo', {json: {index, text: 'ü'.repeat(index)}}).json<{body: string; contentType: string}>())));
		expect(server.tokenCalls).toBe(1);
		const rejected = server.seen.filter(entry => entry.path === '/echo' && entry.authorization !== undefined);
		// 100 first attempts (401) + 100 retries (200)
		expect(rejected).toHaveLength(200);
		const statuses = new Map<string, number>();
		for (const entry of rejected) {
			statuses.set(entry.authorization!, (statuses.get(entry.authorization!) ?? 0) + 1);
		}
		expect([...statuses.values()].sort()).toEqual([100, 100]);
		for (const [index, result] of results.entries()) {
			if (index % 2 === 1) {
				expect(JSON.parse((result as {body: string}).body)).toEqual({index, text: 'ü'.repeat(index)});
			}
		}
		const posts = server.seen.filter(entry => entry.method === 'POST');
		expect(posts).toHaveLength(100);
		for (const post of posts) {
			expect(post.contentType).toBe('application/json');
		}
	});

	it('the fetch adapter shares the same single refresh with a client made from the same session', async () => {
		const session = await signedInSession();
		const api = createAuthClient(session, {baseUrl: server.url});
		const authFetch = createAuthFetch(session, {baseUrl: server.url});
		server.revokeAll();
		const responses = await Promise.all([
			...Array.from({length: 30}, async () => api.get('echo').json()),
			...Array.from({length: 30}, async () => authFetch(`${server.origin}/echo`, {method: 'PUT', body: 'plain text'})),
		]);
		expect(server.tokenCalls).toBe(1);
		for (const response of responses.slice(30)) {
			expect((response as Response).status).toBe(200);
		}
	});
});
