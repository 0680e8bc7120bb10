import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {AuthenticationError, RefreshError, type RefreshFunction} from '../../src/index.js';
import {clients, startOidcServer, type OidcServer} from './oidc/provider.js';
import {signedInUser} from './oidc/session.js';

// refreshTokenGrant against oidc-provider, an OpenID Certified authorization server, in this process: the
// first tokens come from a real authorization-code flow, every refresh goes through its real token endpoint,
// which rotates the refresh token and answers with an ID token (the grant holds openid offline_access). A
// rotated refresh token presented again is detected by the provider, which revokes the whole grant.

let op: OidcServer;

// Generous bounds for a loaded machine (a run takes about a second): each test signs in through the provider and runs storms.
const limit = 60_000;

beforeEach(async () => {
	op = await startOidcServer();
}, limit);

afterEach(async () => {
	await op.close();
});

const stormSize = 20;
const rounds = 3;

/** The refresh function with `keep` taken from its context: the rotated refresh token of a rejected answer is lost. */
function withoutKeep(refresh: RefreshFunction): RefreshFunction {
	return async context => refresh({...context, keep: undefined});
}

function reasonOf(result: PromiseSettledResult<unknown> | undefined): unknown {
	return result?.status === 'rejected' ? result.reason : undefined;
}

/** How each request of a storm ended: `ok`, or the error's class and code. */
function outcomes(results: ReadonlyArray<PromiseSettledResult<unknown>>): string[] {
	return results.map(result => {
		const reason = reasonOf(result);
		return reason instanceof RefreshError || reason instanceof AuthenticationError ? `${reason.name} ${reason.code}` : (result.status === 'fulfilled' ? 'ok' : String(reason));
	});
}

function times(count: number, outcome: string): string[] {
	return Array.from({length: count}, () => outcome);
}

describe('the documented setup (no issuer) against an OpenID provider', {timeout: limit}, () => {
	it.each([
		['RS256', clients.rs256],
		['ES256', clients.es256],
	] as const)('ID tokens signed %s: each storm of 20 requests on an expired token costs 1 token call, all succeed, no refresh token is presented twice', async (alg, clientId) => {
		const user = await signedInUser(op, {clientId, idTokenAlg: alg});
		for (let round = 1; round <= rounds; round++) {
			user.expire();
			const results = await user.storm(stormSize);
			expect(outcomes(results)).toEqual(times(stormSize, 'ok'));
			expect(results.map(result => result.status === 'fulfilled' ? result.value : undefined)).toEqual(Array.from({length: stormSize}, () => ({sub: 'alice'})));
			expect(op.counts).toMatchObject({tokenCalls: round, reuseDetected: 0, grantsRevoked: 0});
		}
		// The provider did send an ID token with every refresh: the answers the issue saw refused were accepted.
		expect(user.idTokenAnswers()).toBe(rounds);
		expect(new Set(op.counts.presented).size).toBe(rounds);
		expect(op.counts).toMatchObject({reuseDetected: 0, grantsRevoked: 0});
		expect(user.session.getSnapshot().status).toBe('signedIn');
	});
});

describe('with issuer set to the provider\'s issuer', {timeout: limit}, () => {
	it('an ID token that passes the check: storms cost 1 token call each, all succeed', async () => {
		const user = await signedInUser(op, {clientId: clients.rs256, issuer: op.issuer});
		for (let round = 1; round <= rounds; round++) {
			user.expire();
			expect(outcomes(await user.storm(stormSize))).toEqual(times(stormSize, 'ok'));
			expect(op.counts.tokenCalls).toBe(round);
		}
		expect(user.idTokenAnswers()).toBe(rounds);
		expect(op.counts).toMatchObject({reuseDetected: 0, grantsRevoked: 0});
	});

	// The client is registered for ES256 ID tokens, and refreshTokenGrant checks an ID token for RS256 (the OpenID
	// default): every 200 is refused after the provider has rotated the refresh token.
	it('an answer refused by the ID token check: RefreshError, but the next refresh presents the rotated refresh token (no reuse, grant alive)', async () => {
		const user = await signedInUser(op, {clientId: clients.es256, idTokenAlg: 'ES256', issuer: op.issuer});
		for (let round = 1; round <= rounds; round++) {
			user.expire();
			const results = await user.storm(stormSize);
			expect(op.counts).toMatchObject({tokenCalls: round, reuseDetected: 0, grantsRevoked: 0});
			expect(outcomes(results)).toEqual(times(stormSize, 'RefreshError REFRESH_FAILED'));
			const reasons = results.map(reasonOf);
			expect(String(reasons[0])).toContain('unexpected JWT "alg" header parameter');
			for (const token of op.counts.presented) {
				expect(JSON.stringify(reasons.map(reason => [String(reason), (reason as Error).cause]))).not.toContain(token);
			}
		}
		// Each refresh presented the refresh token the previous (refused) answer rotated to: never one twice.
		expect(new Set(op.counts.presented).size).toBe(rounds);
		expect(op.counts).toMatchObject({reuseDetected: 0, grantsRevoked: 0});
		expect(user.session.getSnapshot().status).toBe('signedIn');
	});

	it('control, without keep: the spent refresh token is presented again, the provider revokes the grant, the user is signed out', async () => {
		const user = await signedInUser(op, {clientId: clients.es256, idTokenAlg: 'ES256', issuer: op.issuer, wrap: withoutKeep});
		user.expire();
		expect(outcomes(await user.storm(stormSize))).toEqual(times(stormSize, 'RefreshError REFRESH_FAILED'));
		user.expire();
		expect(outcomes(await user.storm(stormSize))).toEqual(times(stormSize, 'AuthenticationError SESSION_ENDED'));
		expect(op.counts.presented).toHaveLength(2);
		expect(op.counts.presented[1]).toBe(op.counts.presented[0]);
		expect(op.counts).toMatchObject({tokenCalls: 2, reuseDetected: 1, grantsRevoked: 1});
		expect(user.session.getSnapshot().status).toBe('signedOut');
	});
});
