/**
 * The contenders: each makes `GET <origin>/api/item` with a bearer token and reads the JSON body.
 * `call()` resolves on a 2xx with its body read and rejects otherwise (a createAuthFetch response
 * that is not ok counts as a failure too).
 *
 * Every one can run over the network (global fetch / node:http) or over a canned fetch that answers
 * at once (the in-process measurement). The refresh-capable ones refresh against `POST /token`,
 * each with its own HTTP layer, as its documentation shows.
 */
import type {Agent} from 'node:http';
import axios from 'axios';
import {createAuthRefresh} from 'axios-auth-refresh';
import ky from 'ky';
import {createAuthClient, createAuthFetch, createAuthSession, memoryStore, type TokenSet} from '../dist/index.js';
import type {InitialTokens} from './server-control.ts';

export interface ContenderSetup {
	/** `http://127.0.0.1:<port>` (or a fake origin in canned mode). */
	origin: string;
	tokenUrl: string;
	initial: InitialTokens;
	/** The canned fetch in in-process mode; undefined means the real network (global fetch, node:http for axios). */
	fetch?: typeof globalThis.fetch;
	/** axios's keep-alive agent in network mode (same connection cap as the fetch pool). */
	httpAgent?: Agent;
}

export interface Client {
	call(): Promise<void>;
}

export interface Contender {
	id: ContenderId;
	label: string;
	/** Whether it can refresh a token at all (raw fetch and plain ky cannot). */
	refreshes: boolean;
	create(setup: ContenderSetup): Promise<Client>;
}

export type ContenderId = 'fetch' | 'ky' | 'kyAuth' | 'kyAuthFetch' | 'axiosAuthRefresh' | 'kyRecipe';

const apiPath = 'api/item';

interface TokenResponse {
	access_token: string;
	token_type?: string;
	expires_in?: number;
	refresh_token?: string;
}

function refreshBody(refreshToken: string | undefined): URLSearchParams {
	return new URLSearchParams({grant_type: 'refresh_token', refresh_token: refreshToken ?? ''});
}

/** Fetch semantics: a status that is not ok is a failure here, as ky and axios make it. */
async function readOk(response: Response): Promise<void> {
	if (!response.ok) {
		await response.body?.cancel();
		throw new Error(`HTTP ${response.status}`);
	}
	await response.json();
}

/** 1. The floor: what an HTTP call costs at all. */
const rawFetch: Contender = {
	id: 'fetch',
	label: 'raw fetch',
	refreshes: false,
	async create({origin, initial, fetch: custom}) {
		const send = custom ?? globalThis.fetch;
		const url = `${origin}/${apiPath}`;
		const headers = {authorization: `Bearer ${initial.accessToken}`};
		return {
			async call() {
				await readOk(await send(url, {headers}));
			},
		};
	},
};

/** 2. What ky-auth's base costs: ky with a fixed header. */
const plainKy: Contender = {
	id: 'ky',
	label: 'plain ky',
	refreshes: false,
	async create({origin, initial, fetch: custom}) {
		const api = ky.create({
			prefix: origin,
			headers: {authorization: `Bearer ${initial.accessToken}`},
			...(custom ? {fetch: custom} : {}),
		});
		return {
			async call() {
				await api.get(apiPath).json();
			},
		};
	},
};

/** ky-auth's session as its README shows it: memory store, refresh against the token endpoint. */
async function signedInSession(setup: ContenderSetup) {
	const send = setup.fetch ?? globalThis.fetch;
	const session = createAuthSession({
		store: memoryStore(),
		async refresh({tokens, signal}): Promise<TokenSet | null> {
			const response = await send(setup.tokenUrl, {method: 'POST', body: refreshBody(tokens?.refreshToken), signal});
			if (!response.ok) {
				throw new Error(`token endpoint answered ${response.status}`);
			}
			const body = await response.json() as TokenResponse;
			return {accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in, tokenType: body.token_type};
		},
	});
	await session.signIn({accessToken: setup.initial.accessToken, refreshToken: setup.initial.refreshToken, expiresAt: setup.initial.expiresAt});
	return session;
}

/** 3a. ky-auth's ky client. */
const kyAuthClient: Contender = {
	id: 'kyAuth',
	label: 'ky-auth createAuthClient',
	refreshes: true,
	async create(setup) {
		const session = await signedInSession(setup);
		const api = createAuthClient(session, {prefix: setup.origin, ...(setup.fetch ? {fetch: setup.fetch} : {})});
		return {
			async call() {
				await api.get(apiPath).json();
			},
		};
	},
};

/** 3b. ky-auth's drop-in fetch. */
const kyAuthFetch: Contender = {
	id: 'kyAuthFetch',
	label: 'ky-auth createAuthFetch',
	refreshes: true,
	async create(setup) {
		const session = await signedInSession(setup);
		const authFetch = createAuthFetch(session, {baseUrl: setup.origin, ...(setup.fetch ? {fetch: setup.fetch} : {})});
		const url = `${setup.origin}/${apiPath}`;
		return {
			async call() {
				await readOk(await authFetch(url));
			},
		};
	},
};

/**
 * 4. axios + axios-auth-refresh as its README recommends: `createAuthRefresh(instance, refreshAuthLogic)`
 * (alias `createAuthRefreshInterceptor`), default options (401, deduplicateRefresh: true), a request
 * interceptor that reads the current token on every call, and a refresh through plain axios that sets
 * the failed request's header.
 */
const axiosAuthRefresh: Contender = {
	id: 'axiosAuthRefresh',
	label: 'axios + axios-auth-refresh',
	refreshes: true,
	async create({origin, tokenUrl, initial, fetch: custom, httpAgent}) {
		let accessToken = initial.accessToken;
		let refreshToken = initial.refreshToken;
		const transport = custom
			? {adapter: 'fetch' as const, env: {fetch: custom}}
			: {httpAgent};
		const api = axios.create({baseURL: origin, ...transport});
		api.interceptors.request.use(request => {
			request.headers.Authorization = `Bearer ${accessToken}`;
			return request;
		});
		const refreshAuthLogic = async (failedRequest: {response: {config: {headers: Record<string, string>}}}) => {
			const tokenResponse = await axios.post<TokenResponse>(tokenUrl, refreshBody(refreshToken), {...transport});
			accessToken = tokenResponse.data.access_token;
			refreshToken = tokenResponse.data.refresh_token ?? refreshToken;
			failedRequest.response.config.headers.Authorization = `Bearer ${accessToken}`;
		};
		// axios-auth-refresh's types resolve axios's CommonJS declarations, ours the ESM ones: same object.
		createAuthRefresh(api as unknown as Parameters<typeof createAuthRefresh>[0], refreshAuthLogic);
		return {
			async call() {
				await api.get(apiPath);
			},
		};
	},
};

/**
 * 5. ky with the token-refresh recipe from ky's README (`hooks.afterResponse`): on a first 401,
 * fetch a new token with plain ky, set the header, `ky.retry({request, code: 'TOKEN_REFRESHED'})`.
 * No single-flight: every 401 refreshes. The README's forced retry has no `delay`, so ky's default
 * retry delay (300 ms for the first retry) applies, as it would for anyone copying the recipe.
 * The current token is kept in a variable and stamped in `beforeRequest` (the README's recipe covers
 * only the retry).
 */
const kyRecipe: Contender = {
	id: 'kyRecipe',
	label: 'ky + README refresh recipe',
	refreshes: true,
	async create({origin, tokenUrl, initial, fetch: custom}) {
		let accessToken = initial.accessToken;
		let refreshToken = initial.refreshToken;
		const fetchOption = custom ? {fetch: custom} : {};
		const api = ky.create({
			prefix: origin,
			...fetchOption,
			hooks: {
				beforeRequest: [
					({request}) => {
						request.headers.set('Authorization', `Bearer ${accessToken}`);
					},
				],
				afterResponse: [
					async ({request, response, retryCount}) => {
						if (response.status === 401 && retryCount === 0) {
							// Only refresh on first 401, not on subsequent retries
							const tokens = await ky.post(tokenUrl, {body: refreshBody(refreshToken), ...fetchOption}).json<TokenResponse>();
							accessToken = tokens.access_token;
							refreshToken = tokens.refresh_token ?? refreshToken;
							const headers = new Headers(request.headers);
							headers.set('Authorization', `Bearer ${accessToken}`);
							return ky.retry({
								request: new Request(request, {headers}),
								code: 'TOKEN_REFRESHED',
							});
						}
						return undefined;
					},
				],
			},
		});
		return {
			async call() {
				await api.get(apiPath).json();
			},
		};
	},
};

export const contenders: Record<ContenderId, Contender> = {
	fetch: rawFetch,
	ky: plainKy,
	kyAuth: kyAuthClient,
	kyAuthFetch,
	axiosAuthRefresh,
	kyRecipe,
};

/** All six, for the steady and in-process runs. */
export const everyContender: readonly Contender[] = Object.values(contenders);

/** The ones that can refresh, for the storm and expiry runs. */
export const refreshingContenders: readonly Contender[] = everyContender.filter(contender => contender.refreshes);
