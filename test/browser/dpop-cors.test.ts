/**
 * DPoP end to end in Chromium (issue 11): `dpop()` with its default key store (IndexedDB in the page), a session
 * refreshed by `ky-auth/oauth`'s `refreshTokenGrant` with proofs, and a client, against the jose-verifying servers of
 * test/dpop/servers on two other origins (so CORS: preflights for `Authorization`/`DPoP`, and only the response headers
 * the servers list in `Access-Control-Expose-Headers` are visible to the library). The servers are started by
 * global-setup and driven through their control server.
 */
import {beforeEach, describe, expect, inject, it} from 'vitest';
import {createAuthClient, createAuthSession, indexedDbStore, type TokenStore} from '../../src/index.js';
import {none, refreshTokenGrant} from '../../src/oauth/index.js';
import {dpop, memoryKeys, type DPoPScheme} from '../../src/schemes/dpop/index.js';
import type {BrowserDPoPPair} from './global-setup.js';
import type {ControlStats} from '../dpop/servers/control-server.js';

const servers = inject('dpopServers');
type PairName = 'nonce' | 'clock';

async function act<T>(pair: PairName, action: string, query = ''): Promise<T> {
	const response = await fetch(`${servers.control}/__control/${pair}/${action}${query}`, {method: 'POST'});
	if (!response.ok) throw new Error(`control ${pair}/${action}: ${response.status} ${await response.text()}`);
	return (await response.json()) as T;
}

const stats = async (pair: PairName): Promise<ControlStats> => act<ControlStats>(pair, 'stats');
const expose = async (pair: PairName, headers: readonly string[]): Promise<unknown> => act(pair, 'expose', `?headers=${encodeURIComponent(headers.join(','))}`);
const refreshToken = async (pair: PairName): Promise<string> => (await act<{refreshToken: string}>(pair, 'refresh-token')).refreshToken;
const accessToken = async (pair: PairName, jkt: string): Promise<string> => (await act<{accessToken: string}>(pair, 'access-token', `?jkt=${encodeURIComponent(jkt)}`)).accessToken;

const allExposed = ['DPoP-Nonce', 'Date', 'WWW-Authenticate'];

beforeEach(async () => {
	for (const pair of ['nonce', 'clock'] as const) {
		await expose(pair, allExposed);
		await act(pair, 'mark');
	}
});

/** A session refreshed at `pair`'s token endpoint with `scheme`'s proofs, and a client of its resource server. */
function clientOf(pair: BrowserDPoPPair, scheme: DPoPScheme, store?: TokenStore) {
	const session = createAuthSession({
		...(store === undefined ? {} : {store}),
		refresh: refreshTokenGrant({tokenEndpoint: pair.tokenEndpoint, clientId: 'web', clientAuthentication: none(), dpop: scheme, allowInsecureRequests: true}),
	});
	const api = createAuthClient(session, {prefix: pair.resourceOrigin, scheme, retry: 0});
	return {session, api};
}

/** Signed in with an expired access token and a refresh token bound to the first key that spends it. */
async function signedInExpired(pairName: PairName, scheme: DPoPScheme, store?: TokenStore) {
	const client = clientOf(servers[pairName], scheme, store);
	await client.session.signIn({accessToken: 'expired-at-login', tokenType: 'DPoP', refreshToken: await refreshToken(pairName), expiresIn: 0});
	return client;
}

/** `count` parallel GETs; each settles to its body or its error. */
async function storm(api: ReturnType<typeof clientOf>['api'], count: number, prefix: string) {
	return Promise.all(Array.from({length: count}, async (_, index) => api.get(`${prefix}/${index}`).json<{ok: boolean; sub: string; path: string}>().catch((error: unknown) => error)));
}

/** `Name:CODE` of an error (`object` for a body, so a list of outcomes compares in one assertion). */
function describeError(error: unknown): string {
	if (!(error instanceof Error)) return typeof error;
	return 'code' in error && typeof error.code === 'string' ? `${error.name}:${error.code}` : error.name;
}

/** Every proof the resource server decoded had its own jti, and it saw no replay. */
function expectNoJtiReused(resource: ControlStats['resource']): void {
	expect(resource.replays).toBe(0);
	expect(new Set(resource.jtis).size).toBe(resource.jtis.length);
}

const errorsOf = (results: readonly unknown[]): string[] => results.map(describeError);

describe('DPoP in Chromium against servers on other origins (CORS): nonces', () => {
	it('nonces required on both servers, DPoP-Nonce exposed: 20 parallel requests on an expired token, one grant after one use_dpop_nonce, only nonce refusals, no jti reused', async () => {
		const scheme = dpop();
		const {api} = await signedInExpired('nonce', scheme);
		const results = await storm(api, 20, 'items');
		expect(results).toEqual(Array.from({length: 20}, (_, index) => ({ok: true, sub: 'alice', path: `/items/${index}`})));
		const {token, resource} = await stats('nonce');
		expect(token.outcomes).toEqual(['nonce-missing', 'issued']);
		expect(token.grants).toBe(1);
		expect(token.reuse).toBe(0);
		expect(resource.accepted).toBe(20);
		expect(Object.keys(resource.rejections)).toEqual(['nonce-missing']);
		expect(resource.requests).toBe(20 + (resource.rejections['nonce-missing'] ?? 0));
		expectNoJtiReused(resource);
		// Signed with the key in IndexedDB: the token endpoint bound the token to it, the API checked it.
		const thumbprint = await scheme.thumbprint();
		expect(resource.acceptedProofs.every(proof => proof.jkt === thumbprint)).toBe(true);
		// The browser's own CORS traffic reached both servers: requests with Authorization/DPoP are preflighted.
		expect(token.preflights).toBeGreaterThan(0);
		expect(resource.preflights).toBeGreaterThan(0);
	});

	it('DPoP-Nonce NOT exposed: the same storm fails, REFRESH_FAILED for all 20 after two use_dpop_nonce 400s; the API is never called', async () => {
		await expose('nonce', ['Date', 'WWW-Authenticate']);
		const {api} = await signedInExpired('nonce', dpop());
		const results = await storm(api, 20, 'hidden');
		expect(errorsOf(results)).toEqual(Array.from({length: 20}, () => 'RefreshError:REFRESH_FAILED'));
		const {token, resource} = await stats('nonce');
		// The 400's body says use_dpop_nonce, but the nonce is in a header the page cannot read: the retry has none either.
		expect(token.outcomes).toEqual(['nonce-missing', 'nonce-missing']);
		expect(token.grants).toBe(0);
		expect(resource.requests).toBe(0);
	});

	it('DPoP-Nonce NOT exposed by the API: with a valid token each request is refused twice (use_dpop_nonce, then its retry) and ends in AUTHENTICATION_FAILED, no token call', async () => {
		await expose('nonce', ['Date', 'WWW-Authenticate']);
		const scheme = dpop();
		const {session, api} = clientOf(servers.nonce, scheme);
		await session.signIn({accessToken: await accessToken('nonce', await scheme.thumbprint()), tokenType: 'DPoP', refreshToken: await refreshToken('nonce'), expiresIn: 3600});
		const results = await storm(api, 5, 'hidden-api');
		expect(errorsOf(results)).toEqual(Array.from({length: 5}, () => 'AuthenticationError:AUTHENTICATION_FAILED'));
		const {token, resource} = await stats('nonce');
		expect(resource.rejections).toEqual({'nonce-missing': 10});
		expect(resource.accepted).toBe(0);
		expect(token.requests).toBe(0);
		expectNoJtiReused(resource);
	});
});

describe('DPoP in Chromium against servers on other origins (CORS): server clocks 5 minutes ahead', () => {
	/** A client of the clock pair signed in with a valid token bound to `scheme`'s key (so the API is heard first). */
	async function signedInValid(scheme: DPoPScheme) {
		const client = clientOf(servers.clock, scheme);
		await client.session.signIn({accessToken: await accessToken('clock', await scheme.thumbprint()), tokenType: 'DPoP', refreshToken: await refreshToken('clock'), expiresIn: 3600});
		return client;
	}

	it('Date exposed: one iat refusal in all, then every proof (API and token endpoint) is on the server clock', async () => {
		const {api} = await signedInValid(dpop());
		expect(await api.get('first').json()).toEqual({ok: true, sub: 'alice', path: '/first'});
		const first = await stats('clock');
		expect(first.resource.rejections).toEqual({iat: 1});
		expect(first.resource.requests).toBe(2);
		const accepted = first.resource.acceptedProofs[0]?.iat ?? 0;
		// On the server's clock (300 s ahead of this page's), within the estimate's one-second resolution.
		expect(Math.abs(accepted - first.serverNow / 1000)).toBeLessThanOrEqual(2);
		expect(accepted - Date.now() / 1000).toBeGreaterThan(290);

		expect(errorsOf(await storm(api, 10, 'more'))).toEqual(Array.from({length: 10}, () => 'object'));
		await act('clock', 'expire');
		expect(errorsOf(await storm(api, 10, 'after-expiry'))).toEqual(Array.from({length: 10}, () => 'object'));
		const {token, resource} = await stats('clock');
		// The token endpoint, not heard from yet, got a proof on the API's clock estimate: accepted at once.
		expect(token.outcomes).toEqual(['issued']);
		expect(resource.rejections).toEqual({iat: 1, 'token-expired': 10});
		expect(resource.accepted).toBe(21);
		expectNoJtiReused(resource);
	});

	it('Date NOT exposed: the client cannot learn the offset; every proof is refused for iat, each request ends in AUTHENTICATION_FAILED after one retry, and an expired token is never noticed (0 token calls)', async () => {
		await expose('clock', ['DPoP-Nonce', 'WWW-Authenticate']);
		const {api} = await signedInValid(dpop());
		expect(describeError(await api.get('first').json().catch((error: unknown) => error))).toBe('AuthenticationError:AUTHENTICATION_FAILED');
		const first = await stats('clock');
		expect(first.resource.rejections).toEqual({iat: 2});
		expect(first.token.requests).toBe(0);

		await act('clock', 'expire');
		await act('clock', 'mark');
		expect(errorsOf(await storm(api, 10, 'after-expiry'))).toEqual(Array.from({length: 10}, () => 'AuthenticationError:AUTHENTICATION_FAILED'));
		const {token, resource} = await stats('clock');
		// The proof is checked before the token: the API answers invalid_dpop_proof (iat), never invalid_token.
		expect(resource.rejections).toEqual({iat: 20});
		expect(token.requests).toBe(0);
		expectNoJtiReused(resource);
	});

	it('Date exposed, and the token endpoint is the first server heard from: its iat 400 corrects the clock and the refresh is sent again once; the storm succeeds', async () => {
		const {api} = await signedInExpired('clock', dpop());
		expect(await storm(api, 5, 'x')).toEqual(Array.from({length: 5}, (_, index) => ({ok: true, sub: 'alice', path: `/x/${index}`})));
		const {token, resource} = await stats('clock');
		expect(token.outcomes).toEqual(['iat', 'issued']);
		expect(resource.rejections).toEqual({});
	});

	it('Date NOT exposed, expired token at sign-in: the refresh is refused for iat twice (sent again once) and the storm ends in REFRESH_FAILED', async () => {
		await expose('clock', ['DPoP-Nonce', 'WWW-Authenticate']);
		const {api} = await signedInExpired('clock', dpop());
		const results = await storm(api, 5, 'x');
		expect(errorsOf(results)).toEqual(Array.from({length: 5}, () => 'RefreshError:REFRESH_FAILED'));
		const {token, resource} = await stats('clock');
		expect(token.outcomes).toEqual(['iat', 'iat']);
		expect(resource.requests).toBe(0);
	});
});

describe('DPoP in Chromium: a reload keeps the key', () => {
	it('a second dpop() with the default IndexedDB store signs with the same key: the token bound to the first keeps working, no token call', async () => {
		const store = indexedDbStore({key: `dpop-reload-${crypto.randomUUID()}`});
		const first = dpop();
		const before = await signedInExpired('nonce', first, store);
		expect(await before.api.get('before-reload').json()).toEqual({ok: true, sub: 'alice', path: '/before-reload'});
		await act('nonce', 'mark');

		// The reload: a new scheme and a new session on the same token store; the key comes from IndexedDB.
		const second = dpop();
		const after = clientOf(servers.nonce, second, store);
		expect(await after.api.get('after-reload').json()).toEqual({ok: true, sub: 'alice', path: '/after-reload'});
		expect(await second.thumbprint()).toBe(await first.thumbprint());
		const {token, resource} = await stats('nonce');
		expect(token.requests).toBe(0);
		expect(resource.acceptedProofs).toEqual([{path: '/after-reload', jkt: await first.thumbprint(), iat: expect.any(Number) as number}]);
		// A new instance has no nonce yet: one use_dpop_nonce, then accepted.
		expect(resource.rejections).toEqual({'nonce-missing': 1});
	});

	it('control: a dpop() with another key (memoryKeys) on the same tokens is refused (jkt-mismatch) and ends in AUTHENTICATION_FAILED', async () => {
		const store = indexedDbStore({key: `dpop-reload-${crypto.randomUUID()}`});
		const first = dpop();
		const before = await signedInExpired('nonce', first, store);
		await before.api.get('before');
		await act('nonce', 'mark');
		const other = dpop({keys: memoryKeys()});
		expect(await other.thumbprint()).not.toBe(await first.thumbprint());
		const after = clientOf(servers.nonce, other, store);
		expect(describeError(await after.api.get('other-key').json().catch((error: unknown) => error))).toBe('AuthenticationError:AUTHENTICATION_FAILED');
		const {token, resource} = await stats('nonce');
		expect(resource.rejections).toEqual({'nonce-missing': 1, 'jkt-mismatch': 1});
		expect(token.requests).toBe(0);
	});
});
