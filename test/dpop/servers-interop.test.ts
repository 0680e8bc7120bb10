import {afterEach, describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession, createMachineSession} from '../../src/index.js';
import {clientCredentials, clientSecretBasic, none, refreshTokenGrant} from '../../src/oauth/index.js';
import {dpop} from '../../src/schemes/dpop/index.js';
import {startDPoPServers, type DPoPServers, type DPoPServersOptions} from './servers/index.js';

let servers: DPoPServers | undefined;

afterEach(async () => {
	await servers?.close();
	servers = undefined;
});

/** A machine session getting DPoP-bound tokens from the token server, and a client of the resource server, sharing one dpop(). */
async function setup(options: DPoPServersOptions) {
	const started = await startDPoPServers({...options, token: {...options.token, clients: {svc: 'svc-secret'}}});
	servers = started;
	const proofs = dpop();
	const session = createMachineSession({
		refresh: clientCredentials({
			tokenEndpoint: started.tokenServer.tokenEndpoint,
			allowInsecureRequests: true,
			clientId: 'svc',
			clientAuthentication: clientSecretBasic('svc-secret'),
			dpop: proofs,
		}),
	});
	const api = createAuthClient(session, {baseUrl: started.resourceServer.url, scheme: proofs, retry: 0});
	return {servers: started, proofs, api};
}

function outcomes(records: ReadonlyArray<{readonly outcome: string}>): string[] {
	return records.map(record => record.outcome);
}

describe('dpop() against jose-verifying DPoP servers', () => {
	it.each([[0], [300_000], [-300_000]])('nonces required at both, both clocks %i ms off: one nonce round at each, then every proof accepted, none reused', async clockOffsetMs => {
		const {servers, api} = await setup({clockOffsetMs, token: {requireNonce: true}, resource: {requireNonce: true}});
		await api.get('items/1').json();
		await api.get('items/2').json();
		expect(outcomes(servers.tokenServer.requests)).toEqual(['nonce-missing', 'issued']);
		expect(outcomes(servers.resourceServer.requests)).toEqual(['nonce-missing', 'accepted', 'accepted']);
		expect(servers.resourceServer.requests.map(request => request.authScheme)).toEqual(['DPoP', 'DPoP', 'DPoP']);
		const jtis = [...servers.tokenServer.requests, ...servers.resourceServer.requests].map(request => request.proof?.jti);
		expect(new Set(jtis).size).toBe(5);
	});

	it('the API\'s clock 5 minutes ahead of the token server\'s: its 401 invalid_dpop_proof brings the offset, one retry without a refresh is accepted', async () => {
		const {servers, api} = await setup({token: {clockOffsetMs: 0}, resource: {clockOffsetMs: 300_000}});
		await api.get('items/1').json();
		expect(outcomes(servers.tokenServer.requests)).toEqual(['issued']);
		expect(outcomes(servers.resourceServer.requests)).toEqual(['iat', 'accepted']);
		await api.get('items/2').json();
		expect(outcomes(servers.resourceServer.requests)).toEqual(['iat', 'accepted', 'accepted']);
	});

	it('the nonce rotates with every accepted request: each 200 brings the next one, no request is refused', async () => {
		const {servers, api} = await setup({resource: {requireNonce: true, rotateNonceEvery: 1}});
		for (const item of [1, 2, 3, 4]) {
			await api.get(`items/${item}`).json();
		}
		expect(outcomes(servers.resourceServer.requests)).toEqual(['nonce-missing', 'accepted', 'accepted', 'accepted', 'accepted']);
	});

	it('a user session: a 401 to a stale token refreshes with a refresh token bound to our key (proof at the token endpoint), then the retry is accepted', async () => {
		servers = await startDPoPServers({token: {requireNonce: true}});
		const {tokenServer, resourceServer} = servers;
		const proofs = dpop();
		const refreshToken = tokenServer.issueRefreshToken({sub: 'alice', jkt: await proofs.thumbprint()});
		const session = createAuthSession({
			refresh: refreshTokenGrant({tokenEndpoint: tokenServer.tokenEndpoint, allowInsecureRequests: true, clientId: 'spa', clientAuthentication: none(), dpop: proofs}),
		});
		await session.signIn({accessToken: 'stale-access-token', tokenType: 'DPoP', refreshToken, expiresIn: 3600});
		const api = createAuthClient(session, {baseUrl: resourceServer.url, scheme: proofs, retry: 0});
		await api.get('me').json();
		expect(outcomes(tokenServer.requests)).toEqual(['nonce-missing', 'issued']);
		expect(outcomes(resourceServer.requests)).toEqual(['token-unknown', 'accepted']);
		expect(session.getSnapshot().status).toBe('signedIn');
	});
});
