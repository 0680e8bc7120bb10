import {apiKey, basic, createAuthClient, createAuthFetch, createAuthSession, type AuthSession, type CredentialScheme, type RefreshContext} from '../../src/index.js';
import type {SeenRequest} from './origins.js';

/** The session's access token in these tests. */
export const bearerToken = 'bearer-SECRET-7f3a91';
/** Basic credentials. */
export const basicUser = 'reports';
export const basicPassword = 'basic-SECRET-9c1d22';
export const basicHeader = `Basic ${Buffer.from(`${basicUser}:${basicPassword}`, 'utf8').toString('base64')}`;
/** The API key sent in `X-API-Key`. */
export const headerKey = 'header-SECRET-4b2e07';
/** The API key sent as `Authorization: Api-Key <key>`. */
export const authorizationKey = 'authz-SECRET-5a0c33';
/** The API key sent in the `api_key` query parameter. */
export const queryKey = 'query-SECRET-8d6f15';

/** Every secret, in every spelling one could travel in (the Basic header is base64). */
export const secrets: readonly string[] = [bearerToken, basicPassword, basicHeader.slice('Basic '.length), headerKey, authorizationKey, queryKey];

/** One scheme under test, bound to origin A only. */
export interface SchemeCase {
	readonly name: string;
	/** The `scheme` option; `undefined` for the default, `bearer()` with the session's token. */
	readonly scheme: () => CredentialScheme | undefined;
	/** Whether ky-auth follows redirects itself for it (`perHop`), rather than the platform. */
	readonly perHop: boolean;
	/** What the credential that this scheme sends looked like in `seen` (`undefined`: not there). */
	credential(seen: SeenRequest): string | undefined;
	/** The credential's value as sent. */
	readonly expected: string;
}

export const schemeCases: readonly SchemeCase[] = [
	{
		name: 'bearer (session token)',
		scheme: () => undefined,
		perHop: false,
		credential: seen => seen.headers.authorization,
		expected: `Bearer ${bearerToken}`,
	},
	{
		name: 'basic',
		scheme: () => basic({username: basicUser, password: basicPassword}),
		perHop: false,
		credential: seen => seen.headers.authorization,
		expected: basicHeader,
	},
	{
		name: 'apiKey header X-API-Key',
		scheme: () => apiKey({header: 'X-API-Key', key: headerKey}),
		perHop: true,
		credential: seen => headerValue(seen, 'x-api-key'),
		expected: headerKey,
	},
	{
		// In Authorization the platform drops it across origins, so ky-auth leaves redirects to the platform.
		name: 'apiKey in Authorization (prefix "Api-Key ")',
		scheme: () => apiKey({header: 'Authorization', prefix: 'Api-Key ', key: authorizationKey}),
		perHop: false,
		credential: seen => seen.headers.authorization,
		expected: `Api-Key ${authorizationKey}`,
	},
	{
		name: 'apiKey query api_key',
		scheme: () => apiKey({query: 'api_key', key: queryKey}),
		perHop: true,
		credential: seen => seen.url.searchParams.get('api_key') ?? undefined,
		expected: queryKey,
	},
];

function headerValue(seen: SeenRequest, name: string): string | undefined {
	const value = seen.headers[name];
	return Array.isArray(value) ? value.join(', ') : value;
}

/** Every place any of the schemes puts a credential, with what was there (for "nothing arrived" assertions). */
export function credentialsIn(seen: SeenRequest): {authorization: string | undefined; apiKeyHeader: string | undefined; apiKeyParameter: string | null} {
	return {authorization: seen.headers.authorization, apiKeyHeader: headerValue(seen, 'x-api-key'), apiKeyParameter: seen.url.searchParams.get('api_key')};
}

export const noCredentials = {authorization: undefined, apiKeyHeader: undefined, apiKeyParameter: null};

/** A request's init, in the subset both adapters take alike. */
export interface SendInit {
	method?: string;
	body?: string;
	headers?: Record<string, string>;
}

/** Sends a request through one of the adapters; never throws for an HTTP status. */
export type Send = (url: string, init?: SendInit) => Promise<Response>;

/** The two public adapters, made the same way. */
export interface Adapter {
	readonly name: 'createAuthClient' | 'createAuthFetch';
	make(session: AuthSession, options: {baseUrl: string; scheme: CredentialScheme | undefined}): Send;
}

export const adapters: readonly Adapter[] = [
	{
		name: 'createAuthClient',
		make(session, {baseUrl, scheme}) {
			const client = createAuthClient(session, {baseUrl, retry: 0, throwHttpErrors: false, ...(scheme === undefined ? {} : {scheme})});
			return async (url, init) => client(url, init);
		},
	},
	{
		name: 'createAuthFetch',
		make(session, {baseUrl, scheme}) {
			const authFetch = createAuthFetch(session, {baseUrl, ...(scheme === undefined ? {} : {scheme})});
			return async (url, init) => authFetch(url, init);
		},
	},
];

/** A signed-in session holding {@link bearerToken} whose `refresh` calls are recorded (each gives a new token). */
export async function countingSession(): Promise<{session: AuthSession; refreshes: RefreshContext[]}> {
	const refreshes: RefreshContext[] = [];
	const session = createAuthSession({refresh: async context => {
		refreshes.push(context);
		return {accessToken: `refreshed-${refreshes.length}`};
	}});
	await session.signIn({accessToken: bearerToken});
	return {session, refreshes};
}
