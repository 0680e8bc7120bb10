import {beforeEach, describe, expect, it} from 'vitest';
import {AuthenticationError, createAuthClient, createAuthFetch, createAuthSession, memoryStore, PermissionError, RefreshError} from '../../src/index.js';
import {apiOrigin, control, issue, refreshWithFetch, stats} from './api.js';

beforeEach(async () => {
	await control('reset');
});

async function revokedSession() {
	const session = createAuthSession({store: memoryStore(), refresh: refreshWithFetch});
	await session.signIn({accessToken: await issue(), refreshToken: 'r0', expiresIn: 300});
	await control('revoke');
	return session;
}

describe('in Chromium against a real server', () => {
	it('50 parallel GET and POST on a revoked token: exactly one refresh, every request retried once, bodies intact', async () => {
		const session = await revokedSession();
		const api = createAuthClient(session, {prefix: apiOrigin, retry: 0});
		const results = await Promise.all(Array.from({length: 50}, async (_, index) => (index % 2 === 0
			? api.get('echo').json<{method: string}>()
			: api.post('echo', {json: {index}}).json<{body: string}>())));
		const {tokenCalls, seen} = await stats();
		expect(tokenCalls).toBe(1);
		expect(seen.filter(entry => entry.path === '/echo')).toHaveLength(100);
		for (const [index, result] of results.entries()) {
			if (index % 2 === 1) {
				expect(JSON.parse((result as {body: string}).body)).toEqual({index});
			}
		}
	});

	it('FormData, Blob and URLSearchParams bodies are replayed identically by the fetch adapter', async () => {
		const session = await revokedSession();
		const authFetch = createAuthFetch(session, {allowedOrigins: [apiOrigin]});
		const data = new FormData();
		data.append('field', 'value');
		data.append('file', new Blob(['browser-file'], {type: 'text/plain'}), 'f.txt');
		for (const body of [data, new Blob(['blob-body'], {type: 'text/plain'}), new URLSearchParams({q: 'a b'})]) {
			await control('revoke');
			const response = await authFetch(`${apiOrigin}/echo`, {method: 'POST', body});
			expect(response.status).toBe(200);
		}
		const posts = (await stats()).seen.filter(entry => entry.method === 'POST');
		expect(posts).toHaveLength(6);
		for (let index = 0; index < 6; index += 2) {
			expect(posts[index + 1]?.body).toBe(posts[index]?.body);
			expect(posts[index + 1]?.contentType).toBe(posts[index]?.contentType);
		}
		expect(posts[0]?.body).toContain('browser-file');
	});

	it('by default only the page origin gets credentials: a cross-origin API gets none and its 401 triggers no refresh', async () => {
		let refreshed = 0;
		const session = createAuthSession({refresh: async () => {
			refreshed++;
			return {accessToken: 'x'};
		}});
		await session.signIn({accessToken: await issue()});
		const response = await createAuthFetch(session)(`${apiOrigin}/echo`);
		expect(response.status).toBe(401);
		expect((await stats()).seen[0]?.authorization).toBeUndefined();
		expect(refreshed).toBe(0);
	});

	it('403 surfaces as PermissionError with the required scopes (WWW-Authenticate exposed through CORS)', async () => {
		const session = createAuthSession();
		await session.signIn({accessToken: await issue()});
		const error = await createAuthClient(session, {prefix: apiOrigin}).get('forbidden').catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(PermissionError);
		expect((error as PermissionError).requiredScopes).toEqual(['admin', 'write']);
	});

	it('refresh returning null signs out and rejects with AuthenticationError', async () => {
		const session = await revokedSession();
		await control('fail-refresh');
		const events: string[] = [];
		session.addEventListener('signedout', () => events.push('signedout'));
		const results = await Promise.allSettled(Array.from({length: 5}, async () => createAuthClient(session, {prefix: apiOrigin}).get('echo')));
		expect(results.every(result => result.status === 'rejected' && result.reason instanceof AuthenticationError)).toBe(true);
		expect(events).toEqual(['signedout']);
	});

	it('a refresh that calls through a ky-auth client cannot be recognised here: it ends with RefreshError at the timeout, never a hang', async () => {
		const holder: {api?: ReturnType<typeof createAuthClient>} = {};
		const session = createAuthSession({refreshTimeout: 300, refresh: async ({signal}) => {
			const body = await holder.api!.post('token', {signal}).json<{access_token: string}>();
			return {accessToken: body.access_token};
		}});
		holder.api = createAuthClient(session, {prefix: apiOrigin, timeout: 5000});
		await session.signIn({accessToken: await issue()});
		await control('revoke');
		const error = await holder.api.get('echo').catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(RefreshError);
		expect((error as RefreshError).code).toBe('REFRESH_TIMEOUT');
	});
});
