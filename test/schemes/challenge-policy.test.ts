import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {AuthenticationError, createAuthClient, createAuthFetch, createAuthSession, PermissionError, StepUpRequiredError, type AuthSession, type RefreshContext} from '../../src/index.js';
import {none, refreshTokenGrant} from '../../src/oauth/index.js';
import {deferred} from '../helpers/deferred.js';
import {startTokenServer, type TokenServer} from '../oauth/token-server.js';
import {adapters} from './cases.js';
import {answer, closeOrigins, startOrigin, type Origin} from './origins.js';

const concurrent = 20;
const initialToken = 'initial-SECRET-token';
const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';

let tokens: TokenServer;
beforeEach(async () => {
	tokens = await startTokenServer();
	tokens.register({id: 'web-app', method: 'none'});
});
afterEach(async () => {
	await tokens.close();
	await closeOrigins();
});

/** What the resource server answers to a token it does not accept. */
interface Rejection {
	readonly name: string;
	readonly status: 401 | 403;
	readonly challenge: string | undefined;
	/** Whether a refreshed token is accepted (a refresh can cure this rejection). */
	readonly curable: boolean;
}

/**
 * A resource server that rejects the initial token with `rejection`. The rejections are held until all
 * {@link concurrent} first requests have arrived, so every one of them is in flight when the first 401 reaches the
 * client (a storm, not a sequence).
 */
async function resourceServer(rejection: Rejection): Promise<Origin> {
	const allArrived = deferred<undefined>();
	let firstAttempts = 0;
	const origin = await startOrigin();
	origin.reply = (request, response) => {
		const token = request.headers.authorization?.replace(/^Bearer /, '');
		if (rejection.curable && token !== undefined && token !== initialToken) {
			answer(response, 200, {path: request.url.pathname});
			return;
		}
		if (token === initialToken && ++firstAttempts === concurrent) {
			allArrived.resolve(undefined);
		}
		void allArrived.promise.then(() => {
			answer(response, rejection.status, {error: 'rejected'}, rejection.challenge === undefined ? {} : {'www-authenticate': rejection.challenge});
		});
	};
	return origin;
}

/** A session whose refresh is the OAuth refresh_token grant against the real token endpoint (calls counted there). */
async function oauthSession(): Promise<{session: AuthSession; contexts: RefreshContext[]}> {
	const grant = refreshTokenGrant({tokenEndpoint: tokens.tokenEndpoint, allowInsecureRequests: true, clientId: 'web-app', clientAuthentication: none()});
	const contexts: RefreshContext[] = [];
	const session = createAuthSession({refresh: async context => {
		contexts.push(context);
		return grant(context);
	}});
	await session.signIn({accessToken: initialToken, refreshToken: tokens.issueRefreshToken('web-app')});
	return {session, contexts};
}

interface Outcome {
	status: number;
	error?: unknown;
}

/** Sends {@link concurrent} GETs at once to /item/0 … /item/19, through the adapter; their outcomes in order. */
async function storm(adapter: (typeof adapters)[number], session: AuthSession, api: Origin): Promise<Outcome[]> {
	const urls = Array.from({length: concurrent}, (_, index) => api.url(`/item/${index}`));
	if (adapter.name === 'createAuthClient') {
		const client = createAuthClient(session, {baseUrl: api.url('/'), retry: 0});
		return Promise.all(urls.map(async url => client.get(url).then(
			response => ({status: response.status}),
			(error: unknown) => ({status: (error as {response?: Response}).response?.status ?? 0, error}),
		)));
	}
	const authFetch = createAuthFetch(session, {baseUrl: api.url('/')});
	return Promise.all(urls.map(async url => authFetch(url).then(response => ({status: response.status}))));
}

/** How many times each /item/i was sent, and with which tokens. */
function attemptsPerItem(api: Origin): Array<Array<string | undefined>> {
	return Array.from({length: concurrent}, (_, index) => api.to(`/item/${index}`).map(seen => seen.headers.authorization));
}

const invalidToken: Rejection = {name: 'invalid_token', status: 401, challenge: 'Bearer realm="api", error="invalid_token", error_description="expired"', curable: true};
const noChallenge: Rejection = {name: 'no WWW-Authenticate', status: 401, challenge: undefined, curable: true};
const stepUp: Rejection = {
	name: 'insufficient_user_authentication',
	status: 401,
	challenge: 'Bearer error="insufficient_user_authentication", acr_values="urn:mace:incommon:iap:silver", max_age=300',
	curable: false,
};
const scope: Rejection = {name: 'insufficient_scope', status: 403, challenge: 'Bearer error="insufficient_scope", scope="write"', curable: false};
const insufficientClaims: Rejection = {
	name: 'insufficient_claims',
	status: 401,
	challenge: `Bearer realm="", error="insufficient_claims", claims="${Buffer.from(claims).toString('base64')}"`,
	curable: true,
};

describe.each(adapters)('$name: 20 concurrent requests, all rejected at first', adapter => {
	it.each([invalidToken, noChallenge])('401 with $name: exactly 1 token call, each request retried once with the new token, all succeed', async rejection => {
		const api = await resourceServer(rejection);
		const {session, contexts} = await oauthSession();

		const outcomes = await storm(adapter, session, api);

		expect(outcomes.map(outcome => outcome.status)).toEqual(Array.from({length: concurrent}, () => 200));
		expect(tokens.calls.map(call => [call.grant, call.outcome])).toEqual([['refresh_token', 'issued']]);
		expect(contexts.map(context => context.reason)).toEqual(['unauthorized']);
		const fresh = await session.getAccessToken();
		expect(fresh).toMatch(/^at-/);
		expect(attemptsPerItem(api)).toEqual(Array.from({length: concurrent}, () => [`Bearer ${initialToken}`, `Bearer ${fresh}`]));
	});

	it('401 insufficient_user_authentication (RFC 9470): 0 token calls, StepUpRequiredError with acrValues and maxAge, each sent once', async () => {
		const api = await resourceServer(stepUp);
		const {session, contexts} = await oauthSession();

		const outcomes = await storm(adapter, session, api);

		expect(outcomes.map(outcome => outcome.status)).toEqual(Array.from({length: concurrent}, () => 401));
		if (adapter.name === 'createAuthClient') {
			for (const {error} of outcomes) {
				expect(error).toBeInstanceOf(StepUpRequiredError);
				expect((error as StepUpRequiredError).acrValues).toEqual(['urn:mace:incommon:iap:silver']);
				expect((error as StepUpRequiredError).maxAge).toBe(300);
			}
		}
		expect(tokens.calls).toHaveLength(0);
		expect(contexts).toHaveLength(0);
		expect(attemptsPerItem(api)).toEqual(Array.from({length: concurrent}, () => [`Bearer ${initialToken}`]));
		expect(await session.getAccessToken()).toBe(initialToken);
	});

	it('403 insufficient_scope: 0 token calls, PermissionError naming the scope, each sent once', async () => {
		const api = await resourceServer(scope);
		const {session, contexts} = await oauthSession();

		const outcomes = await storm(adapter, session, api);

		expect(outcomes.map(outcome => outcome.status)).toEqual(Array.from({length: concurrent}, () => 403));
		if (adapter.name === 'createAuthClient') {
			for (const {error} of outcomes) {
				expect(error).toBeInstanceOf(PermissionError);
				expect((error as PermissionError).requiredScopes).toEqual(['write']);
			}
		}
		expect(tokens.calls).toHaveLength(0);
		expect(contexts).toHaveLength(0);
		expect(attemptsPerItem(api)).toEqual(Array.from({length: concurrent}, () => [`Bearer ${initialToken}`]));
	});

	it('401 insufficient_claims with base64 JSON claims: 1 token call whose refresh context carries the decoded claims, one retry each', async () => {
		const api = await resourceServer(insufficientClaims);
		const {session, contexts} = await oauthSession();

		const outcomes = await storm(adapter, session, api);

		expect(outcomes.map(outcome => outcome.status)).toEqual(Array.from({length: concurrent}, () => 200));
		expect(tokens.calls).toHaveLength(1);
		expect(contexts.map(context => [context.reason, context.claims])).toEqual([['unauthorized', claims]]);
		const fresh = await session.getAccessToken();
		expect(attemptsPerItem(api)).toEqual(Array.from({length: concurrent}, () => [`Bearer ${initialToken}`, `Bearer ${fresh}`]));
	});
});

describe('a refresh that cannot cure the 401 (the token endpoint answers, the API still refuses)', () => {
	it('createAuthClient: each request is retried once, then an AuthenticationError; still exactly 1 token call', async () => {
		const api = await resourceServer({...invalidToken, curable: false});
		const {session} = await oauthSession();

		const outcomes = await storm(adapters[0]!, session, api);

		for (const {error} of outcomes) {
			expect(error).toBeInstanceOf(AuthenticationError);
		}
		expect(tokens.calls).toHaveLength(1);
		expect(attemptsPerItem(api).map(attempts => attempts.length)).toEqual(Array.from({length: concurrent}, () => 2));
	});
});
