import {http, HttpResponse} from 'msw';
import type {SetupServer} from 'msw/node';
import {AuthenticationError, type RefreshFunction, type TokenSet, type TokenStore} from '../../src/index.js';
import {deferred, type Deferred} from '../helpers/deferred.js';

/** The origin of the API and of the token endpoint (answered by msw). */
export const api = 'https://api.holders.test';

/** What the server counted. */
export interface Counters {
	/** Calls to the token endpoint, whatever their outcome. */
	tokenCalls: number;
	/** Refresh grants answered with new tokens. */
	grants: number;
	/** Spent refresh tokens presented again (each revoked its whole family). */
	reuses: number;
	/** Refresh attempts refused for another reason (unknown or revoked family). */
	refused: number;
	apiOk: number;
	api401: number;
	/** API requests that carried a token of another user than the `x-as-user` they were sent as. */
	crossUser: number;
}

/** Token requests held until the test releases them. */
export interface Hold {
	/** Resolves once `count` token requests are waiting. */
	arrived(count: number): Promise<void>;
	/** Lets every held (and later) token request through, and ends the hold. */
	release(): void;
}

interface Family {
	readonly user: string;
	revoked: boolean;
}

/**
 * An OAuth-like server on msw for the holder tests: sign-ins issue a token family per user, the token
 * endpoint rotates refresh tokens with reuse detection (a spent refresh token presented again revokes its
 * whole family), and `GET /api/*` checks bearer tokens and answers `{user}`. It counts everything, so a test
 * asserts exact numbers. Install one per test (msw's handlers are reset after each test).
 */
export class AuthServer {
	readonly counters: Counters = {tokenCalls: 0, grants: 0, reuses: 0, refused: 0, apiOk: 0, api401: 0, crossUser: 0};
	/** Refresh tokens presented to the token endpoint, in order. */
	readonly presented: string[] = [];
	/** Access tokens carried by API requests, in order (`undefined`: none). */
	readonly sent: Array<string | undefined> = [];
	/** Lifetime (`expires_in`, seconds) of the tokens issued from now on. */
	lifetime = 300;
	readonly #access = new Map<string, {family: Family; valid: boolean}>();
	readonly #refresh = new Map<string, {family: Family; spent: boolean}>();
	#issued = 0;
	#held: Array<Deferred<void>> | undefined;
	#arrivals: Array<{count: number; reached: Deferred<void>}> = [];

	constructor(msw: SetupServer) {
		msw.use(
			http.post(`${api}/token`, async ({request}) => this.#token(await request.text())),
			http.get(`${api}/api/*`, ({request}) => this.#api(request)),
		);
	}

	/** A new sign-in of `user`: a new token family. */
	signIn(user: string): TokenSet {
		return this.#issue({user, revoked: false});
	}

	/** Every access token issued so far stops working (refresh tokens stay valid). */
	revokeAccess(): void {
		for (const entry of this.#access.values()) {
			entry.valid = false;
		}
	}

	/** The user an access token was issued to (valid or not). */
	userOf(token: string | undefined): string | undefined {
		return token === undefined ? undefined : this.#access.get(token)?.family.user;
	}

	/** From now on token requests wait until `release()`. */
	hold(): Hold {
		const held: Array<Deferred<void>> = [];
		this.#held = held;
		return {
			arrived: async count => {
				if (held.length >= count) {
					return;
				}
				const reached = deferred<void>();
				this.#arrivals.push({count, reached});
				await reached.promise;
			},
			release: () => {
				this.#held = undefined;
				this.#arrivals = [];
				for (const waiting of held.splice(0)) {
					waiting.resolve();
				}
			},
		};
	}

	/** A refresh function that spends the held refresh token at the token endpoint; `invalid_grant` → `null`. */
	readonly refresh: RefreshFunction = async ({tokens, signal}) => {
		const response = await fetch(`${api}/token`, {method: 'POST', body: tokens?.refreshToken ?? '', signal});
		if (response.status === 400) {
			return null;
		}
		const body = await response.json() as {access_token: string; refresh_token: string; expires_in: number};
		return {accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in};
	};

	#issue(family: Family): TokenSet {
		this.#issued++;
		const accessToken = `${family.user}-at-${this.#issued}`;
		const refreshToken = `${family.user}-rt-${this.#issued}`;
		this.#access.set(accessToken, {family, valid: true});
		this.#refresh.set(refreshToken, {family, spent: false});
		return {accessToken, refreshToken, expiresIn: this.lifetime};
	}

	async #token(refreshToken: string): Promise<Response> {
		this.counters.tokenCalls++;
		const held = this.#held;
		if (held) {
			const waiting = deferred<void>();
			held.push(waiting);
			for (const arrival of this.#arrivals.filter(({count}) => held.length >= count)) {
				arrival.reached.resolve();
			}
			await waiting.promise;
		}
		this.presented.push(refreshToken);
		const entry = this.#refresh.get(refreshToken);
		if (entry?.spent) {
			this.counters.reuses++;
			entry.family.revoked = true;
			return HttpResponse.json({error: 'invalid_grant'}, {status: 400});
		}
		if (!entry || entry.family.revoked) {
			this.counters.refused++;
			return HttpResponse.json({error: 'invalid_grant'}, {status: 400});
		}
		entry.spent = true;
		this.counters.grants++;
		const tokens = this.#issue(entry.family);
		return HttpResponse.json({access_token: tokens.accessToken, refresh_token: tokens.refreshToken, expires_in: this.lifetime});
	}

	#api(request: Request): Response {
		const authorization = request.headers.get('authorization') ?? '';
		const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : undefined;
		this.sent.push(token);
		const as = request.headers.get('x-as-user');
		if (token !== undefined && as !== null && this.userOf(token) !== as) {
			this.counters.crossUser++;
		}
		const entry = token === undefined ? undefined : this.#access.get(token);
		if (!entry?.valid || entry.family.revoked) {
			this.counters.api401++;
			return HttpResponse.json({error: 'invalid_token'}, {status: 401, headers: {'www-authenticate': 'Bearer error="invalid_token"'}});
		}
		this.counters.apiOk++;
		return HttpResponse.json({user: entry.family.user});
	}
}

/** How a request ended: `ok <user>`, an `AuthenticationError` code, or the error's name. */
export async function outcome(response: Promise<{user: string}>): Promise<string> {
	try {
		return `ok ${(await response).user}`;
	} catch (error) {
		return error instanceof AuthenticationError ? error.code : String(error);
	}
}

/** A promise that says whether it has settled yet. */
export interface Tracked<T> {
	readonly promise: Promise<T>;
	readonly settled: boolean;
}

/** Tracks when `promise` settles (to tell "ended at once" from "ended when the refresh answered"). */
export function track<T>(promise: Promise<T>): Tracked<T> {
	const tracked = {promise, settled: false};
	promise.then(() => {
		tracked.settled = true;
	}, () => {
		tracked.settled = true;
	});
	return tracked;
}

/** The access token a store holds (a record or, from older versions, a bare TokenSet). */
export async function storedAccessToken(store: TokenStore): Promise<string | undefined> {
	const value = await store.get();
	if (value === null) {
		return undefined;
	}
	return 'tokens' in value ? value.tokens.accessToken : value.accessToken;
}
