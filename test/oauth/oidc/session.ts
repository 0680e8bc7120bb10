import {createAuthClient, createAuthSession, type AuthSession, type AuthSessionOptions, type RefreshFunction} from '../../../src/index.js';
import {none, refreshTokenGrant} from '../../../src/oauth/index.js';
import type {OidcServer} from './provider.js';
import {signInAtProvider} from './sign-in.js';

/** Longer than any access token the provider issues (1 hour): moving the clock by it expires the token held. */
const past = 2 * 3_600_000;

/** How one signed-in user is set up against the provider. */
export interface UserSetup {
	readonly clientId: string;
	/** The ID token algorithm the client is registered with. */
	readonly idTokenAlg?: 'RS256' | 'ES256';
	/** `refreshTokenGrant`'s `issuer` (unset: the documented setup). */
	readonly issuer?: string;
	/** `issuer` alone, no `tokenEndpoint`: the token endpoint is discovered (issue 19). */
	readonly discover?: boolean;
	/** More options of the session (`onSignOut`). */
	readonly session?: Omit<AuthSessionOptions, 'refresh' | 'now'>;
	/** Wraps the refresh function the session gets (a control strips `keep` here). */
	readonly wrap?: (refresh: RefreshFunction) => RefreshFunction;
}

/** A session signed in at the provider, its client, and what its refreshes saw. */
export interface SignedInUser {
	readonly session: AuthSession;
	readonly api: ReturnType<typeof createAuthClient>;
	/** Token endpoint answers that carried an `id_token` (seen through the `fetch` option). */
	readonly idTokenAnswers: () => number;
	/** Moves the session's clock past the access token's expiry: the next request must refresh first. */
	expire(): void;
	/** `count` requests at once to the userinfo endpoint, each settled. */
	storm(count: number): Promise<Array<PromiseSettledResult<unknown>>>;
}

/**
 * A user signed in at `op` through a real authorization-code flow, then held by `createAuthSession` with
 * `refreshTokenGrant` set up as docs/oauth.md shows (a public client, `none()`), and `createAuthClient` calling
 * the provider's userinfo endpoint. The session's clock is the test's, so that tokens expire on demand.
 */
export async function signedInUser(op: OidcServer, setup: UserSetup): Promise<SignedInUser> {
	let clock = Date.now();
	let idTokenAnswers = 0;
	const refresh = refreshTokenGrant({
		...(setup.discover === true ? {issuer: op.issuer} : {tokenEndpoint: op.tokenEndpoint}),
		clientId: setup.clientId,
		clientAuthentication: none(),
		...(setup.issuer === undefined ? {} : {issuer: setup.issuer}),
		allowInsecureRequests: true,
		now: () => clock,
		fetch: async (url, init) => {
			const response = await fetch(url, init);
			const body: unknown = await response.clone().json().catch(() => undefined);
			if (typeof body === 'object' && body !== null && 'id_token' in body) {
				idTokenAnswers++;
			}
			return response;
		},
	});
	const session = createAuthSession({...setup.session, refresh: setup.wrap?.(refresh) ?? refresh, now: () => clock});
	const api = createAuthClient(session, {baseUrl: `${op.issuer}/`});
	const first = await signInAtProvider(op, setup.clientId, setup.idTokenAlg);
	await session.signIn({accessToken: first.accessToken, refreshToken: first.refreshToken, expiresIn: 3600});
	op.resetCounts();
	return {
		session,
		api,
		idTokenAnswers: () => idTokenAnswers,
		expire: () => {
			clock += past;
		},
		storm: async count => Promise.allSettled(Array.from({length: count}, async () => api.get(op.userinfoEndpoint).json())),
	};
}
