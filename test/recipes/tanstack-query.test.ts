/**
 * Issue 19: the TanStack Query recipe (docs/recipes/tanstack-query.md), run with @tanstack/query-core against a
 * real API and token endpoint on 127.0.0.1: a storm of queries on a revoked token costs one refresh; with the
 * recipe's `retry`, a 403 is sent once (TanStack's own retries do not repeat it: the control with `retry: 3`
 * sends it 4 times); a sign-out clears the cache.
 */
import {readFileSync} from 'node:fs';
import {QueryClient} from '@tanstack/query-core';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {AuthenticationError, PermissionError, StepUpRequiredError, createAuthClient, createAuthSession, type AuthSession} from '../../src/index.js';
import {startApiServer, type ApiServer} from '../helpers/api-server.js';

/** The recipe's retry function, as docs/recipes/tanstack-query.md writes it (checked below). */
function retry(failureCount: number, error: unknown): boolean {
  if (error instanceof AuthenticationError || error instanceof PermissionError || error instanceof StepUpRequiredError) return false;
  return failureCount < 3;
}

let server: ApiServer;
let session: AuthSession;

beforeEach(async () => {
	server = await startApiServer();
	session = createAuthSession({
		refresh: async ({signal}) => {
			const response = await fetch(`${server.origin}/token`, {method: 'POST', signal});
			const body = await response.json() as {access_token: string; refresh_token: string; expires_in: number};
			return {accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in};
		},
	});
	await session.signIn({accessToken: server.issue(), refreshToken: 'rt-0', expiresIn: 300});
});
afterEach(async () => {
	session.dispose();
	await server.close();
});

describe('the TanStack Query recipe', () => {
	it('is the recipe\'s own code: the retry function above is the one the page shows', () => {
		const page = readFileSync('docs/recipes/tanstack-query.md', 'utf8');
		const own = readFileSync('test/recipes/tanstack-query.test.ts', 'utf8');
		const start = own.indexOf('function retry(');
		const source = own.slice(start, own.indexOf('\n}\n', start) + 2);
		expect(source).toMatch(/^function retry\(failureCount: number, error: unknown\): boolean \{/);
		expect(page).toContain(`export ${source}`);
	});

	it('a storm of 20 queries on a revoked token: one refresh, every query resolves', async () => {
		const api = createAuthClient(session, {prefix: server.origin});
		const queryClient = new QueryClient({defaultOptions: {queries: {retry}}});
		server.revokeAll();
		const results = await Promise.all(Array.from({length: 20}, async (_, index) => queryClient.fetchQuery({
			queryKey: ['item', index],
			queryFn: async ({signal}) => api.get(`item/${index}`, {signal}).json<{path: string}>(),
		})));
		expect(server.tokenCalls).toBe(1);
		expect(results.map(result => result.path)).toEqual(Array.from({length: 20}, (_, index) => `/item/${index}`));
	});

	it('a 403 with the recipe\'s retry: a PermissionError, sent once; control: TanStack\'s own retries send it 4 times', async () => {
		const api = createAuthClient(session, {prefix: server.origin});
		const forbidden = {queryKey: ['forbidden'], queryFn: async ({signal}: {signal: AbortSignal}) => api.get('forbidden', {signal}).json()};
		const recipe = new QueryClient({defaultOptions: {queries: {retry, retryDelay: 0}}});
		await expect(recipe.fetchQuery(forbidden)).rejects.toBeInstanceOf(PermissionError);
		expect(server.seen.filter(entry => entry.path === '/forbidden')).toHaveLength(1);
		const control = new QueryClient({defaultOptions: {queries: {retry: 3, retryDelay: 0}}});
		await expect(control.fetchQuery(forbidden)).rejects.toBeInstanceOf(PermissionError);
		expect(server.seen.filter(entry => entry.path === '/forbidden')).toHaveLength(1 + 4);
		expect(server.tokenCalls).toBe(0);
	});

	it('a sign-out clears the cache, as the recipe wires it', async () => {
		const queryClient = new QueryClient();
		session.addEventListener('signedout', () => queryClient.clear());
		session.addEventListener('signedin', () => queryClient.clear());
		queryClient.setQueryData(['me'], {name: 'alice'});
		await session.signOut();
		expect(queryClient.getQueryData(['me'])).toBeUndefined();
	});
});
