import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {RefreshError, type TokenSet} from '../../src/index.js';
import {clientSecretPost, refreshTokenGrant, type RefreshTokenGrantOptions} from '../../src/oauth/index.js';
import {context, startTokenServer, type TokenServer} from './token-server.js';

// What refreshTokenGrant hands to RefreshContext.keep, and when: the tokens of a 200 that rotated the refresh
// token, before any check of the answer runs. Scripted answers of a real loopback token endpoint.

let server: TokenServer;
const secret = 'keep-client-secret';
const issuer = 'https://issuer.example.com';

beforeEach(async () => {
	server = await startTokenServer();
	server.register({id: 'web', method: 'client_secret_post', secret});
});

afterEach(async () => {
	await server.close();
});

function options(extra: Partial<RefreshTokenGrantOptions> = {}): RefreshTokenGrantOptions {
	return {tokenEndpoint: server.tokenEndpoint, allowInsecureRequests: true, clientId: 'web', clientAuthentication: clientSecretPost(secret), ...extra};
}

/** Runs one refresh with a `keep` that records what it is handed; the outcome is the result or the error. */
async function refreshKeeping(extra: Partial<RefreshTokenGrantOptions> = {}, keep?: (tokens: TokenSet) => void) {
	const kept: TokenSet[] = [];
	const outcome = await refreshTokenGrant(options(extra))({...context({accessToken: 'at-old', refreshToken: 'rt-old'}), keep: keep ?? (tokens => kept.push(tokens))})
		.catch((error: unknown) => error);
	return {kept, outcome};
}

/** Base64url of `value` as JSON: a JWT part. */
function part(value: unknown): string {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const now = Math.floor(Date.now() / 1000);
/** An unexpired ID token of another issuer (its signature is never looked at: TLS vouches for a token response). */
const foreignIdToken = `${part({alg: 'RS256'})}.${part({iss: 'https://elsewhere.example', aud: 'web', sub: 'u', iat: now, exp: now + 3600})}.c2ln`;

describe('refreshTokenGrant and RefreshContext.keep', () => {
	it('a 200 that oauth4webapi refuses (an unknown token_type): its tokens were kept first, the refresh fails REFRESH_FAILED without them in the message', async () => {
		server.answerNext({status: 200, body: {access_token: 'at-refused-7', refresh_token: 'rt-rotated-7', token_type: 'mac', scope: 'read'}});
		const {kept, outcome} = await refreshKeeping();
		expect(kept).toEqual([{accessToken: 'at-refused-7', refreshToken: 'rt-rotated-7', scope: 'read'}]);
		expect(outcome).toBeInstanceOf(RefreshError);
		expect((outcome as RefreshError).code).toBe('REFRESH_FAILED');
		const shown = JSON.stringify([String(outcome), (outcome as Error).cause, (outcome as Error).stack]);
		expect(shown).not.toContain('at-refused-7');
		expect(shown).not.toContain('rt-rotated-7');
	});

	it('a 200 that passes: its tokens are kept first and returned (the result supersedes what was kept)', async () => {
		server.answerNext({status: 200, body: {access_token: 'at-1', refresh_token: 'rt-1', token_type: 'DPoP'}});
		const {kept} = await refreshKeeping();
		expect(kept).toEqual([{accessToken: 'at-1', refreshToken: 'rt-1', tokenType: 'DPoP'}]);
		server.answerNext({status: 200, body: {access_token: 'at-2', refresh_token: 'rt-2', token_type: 'bearer', expires_in: 60}});
		await expect(refreshKeeping().then(({kept: again}) => again)).resolves.toEqual([{accessToken: 'at-2', refreshToken: 'rt-2', tokenType: 'Bearer'}]);
	});

	it('nothing to keep: no refresh token in the answer, an error answer, or a 200 that is not JSON', async () => {
		server.answerNext({status: 200, body: {access_token: 'at-n', token_type: 'Bearer'}});
		const unrotated = await refreshKeeping();
		server.answerNext({status: 400, body: {error: 'invalid_request', refresh_token: 'rt-x', access_token: 'at-x'}});
		const refused = await refreshKeeping();
		server.answerNext({status: 200, body: 'not json'});
		const garbled = await refreshKeeping();
		expect([unrotated.kept, refused.kept, garbled.kept]).toEqual([[], [], []]);
		expect(unrotated.outcome).toEqual({accessToken: 'at-n', tokenType: 'Bearer'});
		expect(garbled.outcome).toBeInstanceOf(RefreshError);
	});

	it('tokens the session cannot hold (keep throws): REFRESH_FAILED with a stable code, no token in the message', async () => {
		server.answerNext({status: 200, body: {access_token: 'at bad 9', refresh_token: 'rt-rotated-9', token_type: 'Bearer'}});
		const {outcome} = await refreshKeeping({}, () => {
			throw new TypeError('RefreshContext.keep: expected a TokenSet, got an object whose "accessToken" has a character an HTTP header cannot carry');
		});
		expect(outcome).toBeInstanceOf(RefreshError);
		expect((outcome as RefreshError).code).toBe('REFRESH_FAILED');
		expect(String(outcome)).toContain('tokens a session cannot hold');
		expect(JSON.stringify([String(outcome), (outcome as Error).cause])).not.toMatch(/at bad 9|rt-rotated-9/);
	});
});

describe('ID tokens in a token response', () => {
	const answer = {access_token: 'at-id', refresh_token: 'rt-id', token_type: 'Bearer', id_token: foreignIdToken};

	it('without issuer, an ID token is not checked (and not returned): the answer is accepted', async () => {
		server.answerNext({status: 200, body: answer});
		const {outcome} = await refreshKeeping();
		expect(outcome).toEqual({accessToken: 'at-id', refreshToken: 'rt-id', tokenType: 'Bearer'});
	});

	it('with issuer, it is checked: another iss is REFRESH_FAILED, the rotated refresh token kept, no token in the message', async () => {
		server.answerNext({status: 200, body: answer});
		const {kept, outcome} = await refreshKeeping({issuer});
		expect(kept).toEqual([{accessToken: 'at-id', refreshToken: 'rt-id', tokenType: 'Bearer'}]);
		expect(outcome).toBeInstanceOf(RefreshError);
		expect(String(outcome)).toContain('unexpected JWT "iss"');
		expect(JSON.stringify([String(outcome), (outcome as Error).cause])).not.toMatch(/at-id|rt-id|c2ln/);
	});

	it('without issuer, an answer that is otherwise invalid is still refused (only the ID token is left out)', async () => {
		server.answerNext({status: 200, body: {...answer, expires_in: 'soon'}});
		const {outcome} = await refreshKeeping();
		expect(outcome).toBeInstanceOf(RefreshError);
		expect(String(outcome)).toContain('expires_in');
	});
});
