/**
 * Issue 19: revocation on sign-out (RFC 7009). `createAuthSession({onSignOut: revokeOnSignOut(…)})` revokes the
 * signed-out refresh token at the server, best effort: the local sign-out never waits for it, and a failure goes
 * to `onError` with no token in it. Against oidc-provider (OpenID Certified) in this process, with the revocation
 * endpoint discovered from the issuer; the control shows the same sign-out without revocation leaves the refresh
 * token usable.
 */
import * as oauth from 'oauth4webapi';
import {describe, expect, it} from 'vitest';
import {createAuthSession, type TokenSet} from '../../src/index.js';
import {none, revokeOnSignOut} from '../../src/oauth/index.js';
import {deferred} from '../helpers/deferred.js';
import {clients, useOidcServer} from './oidc/provider.js';
import {signedInUser} from './oidc/session.js';

const limit = 60_000;
const oidc = useOidcServer(limit);

/** Presents `refreshToken` to the provider's token endpoint: the OAuth error it answers, or `accepted`. */
async function present(refreshToken: string): Promise<string> {
	const server: oauth.AuthorizationServer = {issuer: oidc().issuer, token_endpoint: oidc().tokenEndpoint};
	const client: oauth.Client = {client_id: clients.rs256};
	const response = await oauth.refreshTokenGrantRequest(server, client, oauth.None(), refreshToken, {[oauth.allowInsecureRequests]: true});
	try {
		await oauth.processRefreshTokenResponse(server, client, response);
		return 'accepted';
	} catch (error) {
		return error instanceof oauth.ResponseBodyError ? error.error : String(error);
	}
}

/** A signed-in user whose `onSignOut` is `revoke` (or nothing), and what it was handed. */
async function userWith(revoke: ((tokens: TokenSet) => Promise<void>) | undefined) {
	const handed: TokenSet[] = [];
	const done: Array<Promise<void>> = [];
	const user = await signedInUser(oidc(), {clientId: clients.rs256, session: {onSignOut: tokens => {
		handed.push(tokens);
		done.push(revoke?.(tokens) ?? Promise.resolve());
	}}});
	return {user, handed, done};
}

describe('revokeOnSignOut against oidc-provider', {timeout: limit}, () => {
	it('after signOut() the refresh token is revoked at the server: presenting it again is invalid_grant', async () => {
		const errors: Error[] = [];
		const {user, handed, done} = await userWith(revokeOnSignOut({issuer: oidc().issuer, clientId: clients.rs256, clientAuthentication: none(), allowInsecureRequests: true, onError: error => errors.push(error)}));
		await user.session.signOut();
		await Promise.all(done);
		expect(handed).toHaveLength(1);
		expect(oidc().counts.revocations).toBe(1);
		expect(errors).toEqual([]);
		expect(await present(handed[0]?.refreshToken ?? '')).toBe('invalid_grant');
	});

	it('control: the same sign-out without revocation leaves the refresh token usable at the server', async () => {
		const {user, handed} = await userWith(undefined);
		await user.session.signOut();
		expect(oidc().counts.revocations).toBe(0);
		expect(await present(handed[0]?.refreshToken ?? '')).toBe('accepted');
	});

	it('best effort: a revocation endpoint that never answers does not hold up signOut(), and the tokens are gone here at once', async () => {
		const never = deferred<Response>();
		const revoke = revokeOnSignOut({revocationEndpoint: oidc().revocationEndpoint, clientId: clients.rs256, clientAuthentication: none(), allowInsecureRequests: true, fetch: async () => never.promise});
		const {user, handed} = await userWith(revoke);
		await user.session.signOut();
		expect(handed).toHaveLength(1);
		expect(user.session.getSnapshot().status).toBe('signedOut');
		expect(await user.session.getAccessToken()).toBeNull();
	});

	it('a refused revocation goes to onError, with no token in its message, cause or JSON; signOut() is unaffected', async () => {
		const errors: Error[] = [];
		const revoke = revokeOnSignOut({revocationEndpoint: `${oidc().issuer}/no-such-endpoint`, clientId: clients.rs256, clientAuthentication: none(), allowInsecureRequests: true, onError: error => errors.push(error)});
		const {user, handed, done} = await userWith(revoke);
		await user.session.signOut();
		await Promise.all(done);
		expect(errors).toHaveLength(1);
		const [failure] = errors;
		const refreshToken = handed[0]?.refreshToken ?? '';
		expect(refreshToken).not.toBe('');
		expect(failure?.message).toBe('The token revocation failed');
		expect(JSON.stringify({message: failure?.message, cause: failure?.cause}, (_key, value: unknown) => (value instanceof Error ? {...value, message: value.message} : value))).not.toContain(refreshToken);
		expect(await present(refreshToken)).toBe('accepted');
	});
});

describe('onSignOut', () => {
	it('is not called when nobody was signed in, and a throwing or rejecting one changes nothing', async () => {
		const calls: TokenSet[] = [];
		const quiet = createAuthSession({onSignOut: tokens => calls.push(tokens)});
		await quiet.signOut();
		expect(calls).toEqual([]);
		const throwing = createAuthSession({onSignOut: () => {
			throw new Error('boom');
		}});
		await throwing.signIn({accessToken: 'a', refreshToken: 'r'});
		await expect(throwing.signOut()).resolves.toBeUndefined();
		const rejecting = createAuthSession({onSignOut: async () => Promise.reject(new Error('boom'))});
		await rejecting.signIn({accessToken: 'a', refreshToken: 'r'});
		await expect(rejecting.signOut()).resolves.toBeUndefined();
	});

	it('an option that is not a function is refused when the session is made', () => {
		expect(() => createAuthSession({onSignOut: 'revoke' as unknown as () => void})).toThrow(/createAuthSession: options\.onSignOut: expected a function, got a string/);
	});
});
