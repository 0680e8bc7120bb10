import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {
	AuthenticationError,
	ConfigurationError,
	createAuthClient,
	createMachineSession,
	memoryStore,
	RefreshError,
	type RefreshFunction,
} from '../../src/index.js';

/** A real token endpoint and API on 127.0.0.1: the token endpoint can be down, refuse the client, or ask to retry later. */
interface Service {
	url: string;
	tokenCalls: number;
	/** What the token endpoint does now. */
	mode: 'down' | 'up' | 'invalid_client' | 'busy';
	/** Access tokens the API accepts. */
	valid: Set<string>;
	close(): Promise<void>;
}

async function startService(): Promise<Service> {
	let issued = 0;
	const service: Service = {url: '', tokenCalls: 0, mode: 'up', valid: new Set(), close: async () => undefined};
	const server: Server = createServer((request, response) => {
		if (request.url === '/token') {
			service.tokenCalls++;
			if (service.mode === 'down') {
				response.socket?.destroy();
				return;
			}
			if (service.mode === 'invalid_client' || service.mode === 'busy') {
				response.writeHead(service.mode === 'busy' ? 503 : 401, {'content-type': 'application/json', 'retry-after': '120'});
				response.end(JSON.stringify({error: service.mode === 'busy' ? 'temporarily_unavailable' : 'invalid_client'}));
				return;
			}
			const token = `m-${++issued}`;
			service.valid.add(token);
			response.writeHead(200, {'content-type': 'application/json'});
			response.end(JSON.stringify({access_token: token, token_type: 'Bearer', expires_in: 600}));
			return;
		}
		const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
		response.writeHead(service.valid.has(token) ? 200 : 401, {'content-type': 'application/json'});
		response.end(JSON.stringify({token}));
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	service.close = async () => new Promise(resolve => {
		server.closeAllConnections();
		server.close(() => resolve());
	});
	return service;
}

/** A client-credentials `refresh` written as a user would with fetch: typed errors for a refused client and for Retry-After. */
function clientCredentials(service: Service): RefreshFunction {
	return async ({signal}) => {
		const response = await fetch(`${service.url}/token`, {method: 'POST', body: new URLSearchParams({grant_type: 'client_credentials'}), signal});
		const body = await response.json() as {access_token?: string; expires_in?: number; error?: string};
		if (body.error === 'invalid_client') {
			throw new ConfigurationError({detail: 'invalid_client'});
		}
		if (!response.ok || body.access_token === undefined) {
			throw new RefreshError('REFRESH_FAILED', {detail: `token endpoint answered ${response.status}`, retryAfter: Number(response.headers.get('retry-after')) * 1000});
		}
		return {accessToken: body.access_token, expiresIn: body.expires_in};
	};
}

let service: Service;
afterEach(async () => service.close());

/** A clock the test moves by hand. */
function clock(start = 1_000_000): {now: () => number; advance: (ms: number) => void} {
	let time = start;
	return {now: () => time, advance: ms => {
		time += ms;
	}};
}

describe('createMachineSession', () => {
	it('token endpoint down at start, then up: the first requests fail with a transient RefreshError, later ones succeed without a restart', async () => {
		service = await startService();
		service.mode = 'down';
		const time = clock();
		const session = createMachineSession({refresh: clientCredentials(service), now: time.now, retry: {initialDelay: 1000, maxDelay: 8000}});
		const api = createAuthClient(session, {baseUrl: service.url, retry: 0});

		const first = await api.get('data').json().catch((error: unknown) => error);
		expect(first).toBeInstanceOf(RefreshError);
		expect(first).not.toBeInstanceOf(AuthenticationError);
		expect(service.tokenCalls).toBe(1);

		// Within the backoff: fails fast with the same error, the endpoint is not called again.
		expect(await api.get('data').json().catch((error: unknown) => error)).toBe(first);
		expect(service.tokenCalls).toBe(1);

		service.mode = 'up';
		time.advance(1300);
		expect(await api.get('data').json()).toEqual({token: 'm-1'});
		expect(service.tokenCalls).toBe(2);
		expect(session.getSnapshot()).toMatchObject({status: 'signedIn', error: null});
	});

	it('obtains one token for a storm of requests and sends none without credentials', async () => {
		service = await startService();
		const session = createMachineSession({refresh: clientCredentials(service)});
		const api = createAuthClient(session, {baseUrl: service.url, retry: 0});
		const results = await Promise.all(Array.from({length: 50}, async () => api.get('data').json()));
		expect(new Set(results.map(result => JSON.stringify(result)))).toEqual(new Set([JSON.stringify({token: 'm-1'})]));
		expect(service.tokenCalls).toBe(1);
	});

	it('a revoked token: one new token for every request that got a 401, never SESSION_ENDED', async () => {
		service = await startService();
		const session = createMachineSession({refresh: clientCredentials(service)});
		const api = createAuthClient(session, {baseUrl: service.url, retry: 0});
		await api.get('data').json();
		service.valid.clear();
		const results = await Promise.all(Array.from({length: 20}, async () => api.get('data').json()));
		expect(results.every(result => JSON.stringify(result) === JSON.stringify({token: 'm-2'}))).toBe(true);
		expect(service.tokenCalls).toBe(2);
	});

	it('a refused client is a ConfigurationError, retried only after the longest backoff', async () => {
		service = await startService();
		service.mode = 'invalid_client';
		const time = clock();
		const session = createMachineSession({refresh: clientCredentials(service), now: time.now, retry: {initialDelay: 100, maxDelay: 5000}});
		const api = createAuthClient(session, {baseUrl: service.url, retry: 0});
		const error = await api.get('data').json().catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ConfigurationError);
		expect((error as ConfigurationError).code).toBe('CONFIGURATION_ERROR');
		// The longest backoff, with its jitter: between 80 % and 100 % of maxDelay.
		for (const step of [100, 1000, 2800]) {
			time.advance(step);
			expect(await session.getAccessToken().catch((caught: unknown) => caught)).toBe(error);
		}
		expect(service.tokenCalls).toBe(1);
		service.mode = 'up';
		time.advance(1200);
		expect(await session.getAccessToken()).toBe('m-1');
		expect(service.tokenCalls).toBe(2);
	});

	it("honours the token endpoint's Retry-After when it asks for longer than the backoff", async () => {
		service = await startService();
		service.mode = 'busy';
		const time = clock();
		const session = createMachineSession({refresh: clientCredentials(service), now: time.now, retry: {initialDelay: 100, maxDelay: 1000}});
		await expect(session.getAccessToken()).rejects.toMatchObject({retryAfter: 120_000});
		time.advance(60_000);
		await expect(session.getAccessToken()).rejects.toBeInstanceOf(RefreshError);
		expect(service.tokenCalls).toBe(1);
		service.mode = 'up';
		time.advance(60_001);
		expect(await session.getAccessToken()).toBe('m-1');
	});

	it('a refresh that resolves null is a failed attempt, not the end of the session', async () => {
		let calls = 0;
		const time = clock();
		const session = createMachineSession({refresh: async () => (++calls === 1 ? null : {accessToken: 'ok'}), now: time.now, retry: {initialDelay: 10, maxDelay: 10}});
		await expect(session.getAccessToken()).rejects.toMatchObject({code: 'REFRESH_FAILED'});
		time.advance(20);
		expect(await session.getAccessToken()).toBe('ok');
	});

	it('two machine sessions on one store (replicas) obtain one token between them', async () => {
		service = await startService();
		const store = memoryStore();
		const first = createMachineSession({store, refresh: clientCredentials(service)});
		const second = createMachineSession({store, refresh: clientCredentials(service)});
		const tokens = await Promise.all([first.getAccessToken(), second.getAccessToken(), first.getAccessToken(), second.getAccessToken()]);
		expect(new Set(tokens)).toEqual(new Set(['m-1']));
		expect(service.tokenCalls).toBe(1);
	});

	it('validates its options eagerly', () => {
		// @ts-expect-error refresh is required
		expect(() => createMachineSession({})).toThrow(/createMachineSession: options.refresh: expected a function that obtains a token, got undefined/);
		expect(() => createMachineSession({refresh: async () => null, retry: {initialDelay: 10, maxDelay: 5}})).toThrow(/options.retry.maxDelay: expected at least retry.initialDelay \(10\), got/);
		// @ts-expect-error retry is an object
		expect(() => createMachineSession({refresh: async () => null, retry: 3})).toThrow(TypeError);
	});
});

describe('createMachineSession and a Retry-After of a day', () => {
	it('waits at most 15 minutes (or maxDelay when longer), not a day', async () => {
		let calls = 0;
		const time = clock();
		const session = createMachineSession({
			now: time.now,
			retry: {initialDelay: 100, maxDelay: 1000},
			refresh: async () => {
				calls++;
				if (calls === 1) {
					throw new RefreshError('REFRESH_FAILED', {detail: 'busy', retryAfter: 86_400_000});
				}
				return {accessToken: 'back'};
			},
		});
		await expect(session.getAccessToken()).rejects.toMatchObject({retryAfter: 86_400_000});
		time.advance(15 * 60_000 - 1);
		await expect(session.getAccessToken()).rejects.toBeInstanceOf(RefreshError);
		time.advance(1);
		expect(await session.getAccessToken()).toBe('back');
		expect(calls).toBe(2);
	});
});

describe('createMachineSession: found in review', () => {
	it('a 401 while the stored record was replaced under another id (a flushed store, another replica) is retried, never SESSION_ENDED', async () => {
		service = await startService();
		const inner = memoryStore();
		// No subscribe: the replacement is only seen inside the lock, as with a store that cannot announce it.
		const store = {get: inner.get, set: inner.set, compareAndSet: inner.compareAndSet!, lock: inner.lock!};
		const session = createMachineSession({store, refresh: clientCredentials(service)});
		const api = createAuthClient(session, {baseUrl: service.url, retry: 0});
		expect(await api.get('data').json()).toEqual({token: 'm-1'});
		service.valid.clear();
		service.valid.add('from-another-replica');
		await inner.set({id: 'another-sign-in', generation: 0, tokens: {accessToken: 'from-another-replica'}});
		expect(await api.get('data').json()).toEqual({token: 'from-another-replica'});
		expect(service.tokenCalls).toBe(1);
	});

	it("a background renewal honours the backoff and the token endpoint's Retry-After", async () => {
		let calls = 0;
		const time = clock();
		const session = createMachineSession({
			now: time.now,
			refreshWindow: 600_000,
			retry: {initialDelay: 100, maxDelay: 1000},
			refresh: async () => {
				calls++;
				if (calls === 1) {
					return {accessToken: 'first', expiresIn: 900};
				}
				throw new RefreshError('REFRESH_FAILED', {detail: '429', retryAfter: 120_000});
			},
		});
		session.addEventListener('refresherror', () => undefined);
		expect(await session.getAccessToken()).toBe('first');
		// Into the refresh window (capped at half the 900 s lifetime), the token still valid: each request could start a background renewal.
		time.advance(450_000);
		for (let second = 0; second < 100; second += 5) {
			time.advance(5000);
			expect(await session.getAccessToken()).toBe('first');
			await new Promise(resolve => {
				setImmediate(resolve);
			});
		}
		expect(calls).toBe(2);
	});
});

describe('dispose()', () => {
	it('during a refresh leaves a snapshot that is not stuck at refreshing', async () => {
		const session = createMachineSession({refresh: async () => new Promise(() => undefined)});
		void session.getAccessToken().catch(() => undefined);
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		expect(session.getSnapshot().status).toBe('refreshing');
		session.dispose();
		expect(session.getSnapshot().status).toBe('signedOut');
	});
});
