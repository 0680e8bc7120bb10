import {HTTPError, type KyInstance, type NormalizedOptions, type Options} from 'ky';
import {describe, expectTypeOf, test} from 'vitest';
import {
	AuthenticationError,
	type AutoRefresh,
	bearer,
	type CredentialScheme,
	type SchemeBinding,
	ConfigurationError,
	type ChallengeParseError,
	createAuthClient,
	createAuthFetch,
	createAuthSession,
	createMachineSession,
	memoryStore,
	parseWWWAuthenticate,
	PermissionError,
	RefreshError,
	type StoreError,
	webStorageStore,
	type AllowedOrigins,
	type AuthClientOptions,
	type AuthenticationErrorCode,
	type OAuthErrorResponse,
	type AuthFetchOptions,
	type AuthHttpErrorInit,
	type AuthSession,
	type AuthSessionEventMap,
	type AuthSessionOptions,
	type MachineSessionOptions,
	type AuthSnapshot,
	type SessionCredentials,
	type TokenRecord,
	type TokenRecordVersion,
	type Challenge,
	type RefreshContext,
	type RefreshErrorCode,
	type RefreshErrorOptions,
	type RefreshFunction,
	type RefreshReason,
	type TokenSet,
	type TokenStore,
} from '../../src/index.js';

// Type-level tests of the public API: run by `vitest --project node` (typecheck mode) and `npm run typecheck`.
// Nothing here executes; every check is made by the compiler.

declare const session: AuthSession;

describe('createAuthSession', () => {
	test('takes optional AuthSessionOptions and returns an AuthSession', () => {
		expectTypeOf(createAuthSession).parameters.toEqualTypeOf<[options?: AuthSessionOptions]>();
		expectTypeOf(createAuthSession).returns.toEqualTypeOf<AuthSession>();
		expectTypeOf(createAuthSession()).toEqualTypeOf<AuthSession>();
	});

	test('every option has its documented type and is optional', () => {
		expectTypeOf<AuthSessionOptions>().toEqualTypeOf<{
			store?: TokenStore | undefined;
			refresh?: RefreshFunction | undefined;
			refreshWindow?: number | undefined;
			refreshTimeout?: number | undefined;
			now?: (() => number) | undefined;
			autoRefresh?: AutoRefresh | false | undefined;
			onSignOut?: ((tokens: TokenSet) => unknown) | undefined;
		}>();
		expectTypeOf({}).toExtend<AuthSessionOptions>();
		createAuthSession({
			store: memoryStore(),
			refresh: async ({tokens, reason, signal}) => {
				expectTypeOf(tokens).toEqualTypeOf<TokenSet | null>();
				expectTypeOf(reason).toEqualTypeOf<RefreshReason>();
				expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
				return reason === 'manual' ? null : {accessToken: 'a', refreshToken: tokens?.refreshToken, expiresIn: 60};
			},
			refreshWindow: 30_000,
			refreshTimeout: 10_000,
			now: () => 0,
		});
	});

	test('wrong option types do not compile', () => {
		// @ts-expect-error refreshWindow is a number of milliseconds
		createAuthSession({refreshWindow: '30s'});
		// @ts-expect-error refreshTimeout is a number of milliseconds
		createAuthSession({refreshTimeout: null});
		// @ts-expect-error now returns epoch milliseconds, not a Date
		createAuthSession({now: () => new Date()});
		// @ts-expect-error refresh must return a promise
		createAuthSession({refresh: () => ({accessToken: 'a'})});
		// @ts-expect-error refresh must resolve a TokenSet or null, not a bare string
		createAuthSession({refresh: async () => 'token'});
		// @ts-expect-error a store needs get() and set()
		createAuthSession({store: {get: () => null}});
		// @ts-expect-error unknown options are rejected
		createAuthSession({refreshWindw: 1000});
		// @ts-expect-error options is an object
		createAuthSession('memory');
	});
});

describe('AuthSession', () => {
	test('has the documented methods and typed events', () => {
		expectTypeOf(session.getAccessToken).toEqualTypeOf<(options?: {signal?: AbortSignal | undefined}) => Promise<string | null>>();
		expectTypeOf(session.dispose).toEqualTypeOf<() => void>();
		expectTypeOf(session.credentials).toEqualTypeOf<SessionCredentials>();
		session.addEventListener('refresh', event => {
			expectTypeOf(event.detail.reason).toEqualTypeOf<RefreshReason>();
			expectTypeOf(event.detail.expiresAt).toEqualTypeOf<number | null>();
		});
		session.addEventListener('refresherror', event => {
			expectTypeOf(event.detail).toEqualTypeOf<RefreshError>();
		});
		session.addEventListener('storeerror', event => {
			expectTypeOf(event.detail).toEqualTypeOf<StoreError>();
		});
		session.addEventListener('signedout', event => {
			expectTypeOf(event).toEqualTypeOf<Event>();
		});
		expectTypeOf<keyof AuthSessionEventMap>().toEqualTypeOf<'refresh' | 'refresherror' | 'signedin' | 'signedout' | 'storeerror'>();
		// @ts-expect-error events are lowercase, as DOM events are: the snapshot's 'signedOut' is the event 'signedout'
		session.addEventListener('signedOut', () => undefined);
		// @ts-expect-error an unknown event name does not compile
		session.addEventListener('expired', () => undefined);
		expectTypeOf(session.refresh).toEqualTypeOf<() => Promise<TokenSet | null>>();
		expectTypeOf(session.signIn).toEqualTypeOf<(tokens: TokenSet) => Promise<void>>();
		expectTypeOf(session.signOut).toEqualTypeOf<() => Promise<void>>();
		expectTypeOf(session.getSnapshot).toEqualTypeOf<() => AuthSnapshot>();
		expectTypeOf(session.subscribe).toEqualTypeOf<(listener: () => void) => () => void>();
	});

	test('createMachineSession takes MachineSessionOptions (refresh required) and returns an AuthSession', () => {
		expectTypeOf(createMachineSession).parameters.toEqualTypeOf<[options: MachineSessionOptions]>();
		expectTypeOf(createMachineSession).returns.toEqualTypeOf<AuthSession>();
		expectTypeOf<MachineSessionOptions['refresh']>().toEqualTypeOf<RefreshFunction>();
		// @ts-expect-error a machine session needs a refresh function
		createMachineSession({});
	});

	test('wrong arguments do not compile', () => {
		// @ts-expect-error signIn needs an accessToken
		void session.signIn({refreshToken: 'r'});
		// @ts-expect-error accessToken is a string
		void session.signIn({accessToken: 42});
		// @ts-expect-error signIn takes a TokenSet, not a bare token
		void session.signIn('token');
		// @ts-expect-error the signal is an AbortSignal
		void session.getAccessToken({signal: new AbortController()});
	});

	test('AuthSnapshot: status is a closed union and every field is readonly', () => {
		expectTypeOf<AuthSnapshot['status']>().toEqualTypeOf<'signedOut' | 'signedIn' | 'refreshing'>();
		expectTypeOf<AuthSnapshot>().toEqualTypeOf<{
			readonly status: 'signedOut' | 'signedIn' | 'refreshing';
			readonly expiresAt: number | null;
			readonly ready: boolean;
			readonly error: Error | null;
		}>();
		const snapshot = session.getSnapshot();
		// @ts-expect-error a snapshot is immutable
		snapshot.status = 'signedIn';
		// @ts-expect-error 'expired' is not a status
		expectTypeOf<'expired'>().toExtend<AuthSnapshot['status']>();
	});
});

describe('tokens and refresh', () => {
	test('TokenSet: accessToken is required, the rest optional', () => {
		expectTypeOf<TokenSet>().toEqualTypeOf<{
			accessToken: string;
			refreshToken?: string;
			expiresAt?: number;
			expiresIn?: number;
			tokenType?: string;
			scope?: string;
		}>();
		expectTypeOf({accessToken: 'a'}).toExtend<TokenSet>();
		expectTypeOf({refreshToken: 'r'}).not.toExtend<TokenSet>();
	});

	test('RefreshContext and RefreshFunction', () => {
		expectTypeOf<RefreshReason>().toEqualTypeOf<'expiring' | 'expired' | 'unauthorized' | 'manual' | 'initial'>();
		expectTypeOf<RefreshContext['reason']>().toEqualTypeOf<RefreshReason>();
		expectTypeOf<RefreshContext>().toEqualTypeOf<{tokens: TokenSet | null; reason: RefreshReason; signal: AbortSignal; claims?: string | undefined; keep?: ((tokens: TokenSet) => void) | undefined}>();
		expectTypeOf<RefreshFunction>().toEqualTypeOf<(context: RefreshContext) => Promise<TokenSet | null>>();
	});

	test('optional fields accept undefined (exactOptionalPropertyTypes)', () => {
		const body = {access_token: 'a', refresh_token: undefined as string | undefined, expires_in: undefined as number | undefined};
		expectTypeOf({accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in}).toExtend<TokenSet>();
		expectTypeOf({store: undefined, refresh: undefined}).toExtend<AuthSessionOptions>();
	});

	test('TokenStore: get/set may be sync or async; compareAndSet, subscribe and lock are optional', () => {
		expectTypeOf(memoryStore).parameters.toEqualTypeOf<[initial?: TokenSet | null]>();
		expectTypeOf(memoryStore()).toEqualTypeOf<TokenStore>();
		expectTypeOf(webStorageStore).returns.toEqualTypeOf<TokenStore>();
		expectTypeOf<TokenStore['get']>().returns.toEqualTypeOf<TokenRecord | TokenSet | null | Promise<TokenRecord | TokenSet | null>>();
		expectTypeOf<TokenStore['set']>().parameters.toEqualTypeOf<[record: TokenRecord | null]>();
		expectTypeOf<NonNullable<TokenStore['compareAndSet']>>().toEqualTypeOf<(expected: TokenRecordVersion, next: TokenRecord | null) => boolean | Promise<boolean>>();
		expectTypeOf<TokenRecord>().toEqualTypeOf<{readonly id: string; readonly generation: number; readonly tokens: TokenSet}>();
		expectTypeOf({get: () => null, set: () => undefined}).toExtend<TokenStore>();
		expectTypeOf({get: async () => null, set: async () => undefined}).toExtend<TokenStore>();
		expectTypeOf<TokenStore['subscribe']>().toEqualTypeOf<((listener: () => void) => () => void) | undefined>();
		expectTypeOf<NonNullable<TokenStore['lock']>>().toEqualTypeOf<<T>(task: () => Promise<T>, signal: AbortSignal) => Promise<T>>();
		// @ts-expect-error webStorageStore needs a key
		webStorageStore({});
	});
});

describe('createAuthClient', () => {
	test('returns a ky instance', () => {
		expectTypeOf(createAuthClient).parameters.toEqualTypeOf<[session: AuthSession, options?: AuthClientOptions]>();
		expectTypeOf(createAuthClient(session)).toEqualTypeOf<KyInstance>();
		expectTypeOf(createAuthClient(session).extend({timeout: 1000})).toEqualTypeOf<KyInstance>();
	});

	test('accepts every ky option plus allowedOrigins and authScheme', () => {
		expectTypeOf<Options>().toExtend<AuthClientOptions>();
		expectTypeOf<AuthClientOptions['allowedOrigins']>().toEqualTypeOf<AllowedOrigins | undefined>();
		expectTypeOf<AuthClientOptions['authScheme']>().toEqualTypeOf<string | undefined>();
		expectTypeOf<AllowedOrigins>().toEqualTypeOf<ReadonlyArray<string | URL> | ((url: URL) => boolean)>();
		createAuthClient(session, {
			baseUrl: 'https://api.example.com/',
			timeout: 5000,
			retry: {limit: 2, statusCodes: [503]},
			headers: {'x-client': 'types'},
			hooks: {beforeRequest: [({request}) => void request.headers.set('x-trace', '1')]},
			allowedOrigins: ['https://api.example.com', new URL('https://files.example.com')],
			authScheme: 'DPoP',
			fetch: globalThis.fetch,
		});
		createAuthClient(session, {prefix: 'https://api.example.com/v1', allowedOrigins: url => url.hostname.endsWith('.example.com')});
	});

	test('wrong option types do not compile', () => {
		// @ts-expect-error allowedOrigins is a list or a predicate, not one string
		createAuthClient(session, {allowedOrigins: 'https://api.example.com'});
		// @ts-expect-error the predicate receives a URL and returns a boolean
		createAuthClient(session, {allowedOrigins: (url: string) => url});
		// @ts-expect-error authScheme is a string
		createAuthClient(session, {authScheme: true});
		// @ts-expect-error scheme is a CredentialScheme, not its name
		createAuthClient(session, {scheme: 'Bearer'});
		// @ts-expect-error a binding names its origins
		createAuthClient(session, {schemes: [{scheme: bearer()}]});
		// @ts-expect-error ky's own options keep their types
		createAuthClient(session, {timeout: '5s'});
		// @ts-expect-error the first argument is a session
		createAuthClient({}, {});
	});
});

describe('createAuthFetch', () => {
	test('returns a drop-in fetch', () => {
		expectTypeOf(createAuthFetch).parameters.toEqualTypeOf<[session: AuthSession, options?: AuthFetchOptions]>();
		expectTypeOf(createAuthFetch(session)).toEqualTypeOf<typeof fetch>();
		expectTypeOf(createAuthFetch(session, {baseUrl: new URL('https://api.example.com')})).toEqualTypeOf<typeof fetch>();
		expectTypeOf<AuthFetchOptions>().toEqualTypeOf<{
			allowedOrigins?: AllowedOrigins;
			authScheme?: string;
			scheme?: CredentialScheme;
			schemes?: readonly SchemeBinding[];
			fetch?: typeof globalThis.fetch;
			baseUrl?: string | URL;
		}>();
	});

	test('wrong option types do not compile', () => {
		// @ts-expect-error baseUrl is a string or URL
		createAuthFetch(session, {baseUrl: 443});
		// @ts-expect-error fetch is a fetch function
		createAuthFetch(session, {fetch: 'node-fetch'});
		// @ts-expect-error ky options are not fetch options
		createAuthFetch(session, {retry: 2});
	});
});

describe('errors', () => {
	test('AuthenticationError and PermissionError are ky HTTPErrors', () => {
		expectTypeOf<AuthenticationError>().toExtend<HTTPError>();
		expectTypeOf<PermissionError>().toExtend<HTTPError>();
		expectTypeOf<AuthenticationError['response']>().toExtend<Response>();
		expectTypeOf<AuthenticationError['request']>().toExtend<Request>();
		expectTypeOf<AuthenticationError['options']>().toEqualTypeOf<Readonly<NormalizedOptions>>();
		expectTypeOf<AuthenticationError['challenges']>().toEqualTypeOf<readonly Challenge[]>();
		expectTypeOf<PermissionError['challenges']>().toEqualTypeOf<readonly Challenge[]>();
		expectTypeOf<PermissionError['requiredScopes']>().toEqualTypeOf<readonly string[]>();
	});

	test('every error has a literal code', () => {
		expectTypeOf<AuthenticationErrorCode>().toEqualTypeOf<'AUTHENTICATION_FAILED' | 'SESSION_ENDED' | 'NOT_SIGNED_IN'>();
		expectTypeOf<AuthenticationError['code']>().toEqualTypeOf<AuthenticationErrorCode>();
		expectTypeOf<PermissionError['code']>().toEqualTypeOf<'PERMISSION_DENIED'>();
		expectTypeOf<RefreshErrorCode>().toEqualTypeOf<'REFRESH_FAILED' | 'REFRESH_TIMEOUT' | 'REFRESH_INVALID_RESULT' | 'REFRESH_UNAVAILABLE' | 'CONFIGURATION_ERROR'>();
		expectTypeOf<RefreshError['code']>().toEqualTypeOf<RefreshErrorCode>();
		expectTypeOf<StoreError['code']>().toEqualTypeOf<'STORE_READ_FAILED' | 'STORE_WRITE_FAILED'>();
		expectTypeOf<ChallengeParseError['code']>().toEqualTypeOf<'CHALLENGE_PARSE_ERROR'>();
		expectTypeOf<ChallengeParseError['position']>().toEqualTypeOf<number>();
	});

	test('the other errors are plain Errors, not HTTPErrors', () => {
		expectTypeOf<RefreshError>().toExtend<Error>();
		expectTypeOf<StoreError>().toExtend<Error>();
		expectTypeOf<ChallengeParseError>().toExtend<Error>();
		expectTypeOf<RefreshError>().not.toExtend<HTTPError>();
	});

	test('narrowing with instanceof and code', () => {
		const error: unknown = undefined;
		if (error instanceof AuthenticationError) {
			expectTypeOf(error).toEqualTypeOf<AuthenticationError>();
			if (error.code === 'SESSION_ENDED') {
				expectTypeOf(error.code).toEqualTypeOf<'SESSION_ENDED'>();
			}
			// @ts-expect-error not an AuthenticationError code
			void (error.code === 'PERMISSION_DENIED');
		}
		if (error instanceof HTTPError && error instanceof PermissionError) {
			expectTypeOf(error.requiredScopes).toEqualTypeOf<readonly string[]>();
		}
	});

	test('constructors', () => {
		expectTypeOf(AuthenticationError).constructorParameters.toEqualTypeOf<[init: AuthHttpErrorInit & {code?: AuthenticationErrorCode}]>();
		expectTypeOf(PermissionError).constructorParameters.toEqualTypeOf<[init: AuthHttpErrorInit]>();
		expectTypeOf(RefreshError).constructorParameters.toEqualTypeOf<[code: RefreshErrorCode, options?: RefreshErrorOptions]>();
		expectTypeOf<RefreshErrorOptions>().toEqualTypeOf<{cause?: unknown; detail?: string; retryAfter?: number; oauth?: OAuthErrorResponse; status?: number}>();
		expectTypeOf<OAuthErrorResponse>().toEqualTypeOf<{readonly error: string; readonly errorDescription?: string | undefined; readonly errorUri?: string | undefined}>();
		expectTypeOf<RefreshError['oauth']>().toEqualTypeOf<OAuthErrorResponse | undefined>();
		expectTypeOf<RefreshError['status']>().toEqualTypeOf<number | undefined>();
		expectTypeOf(new ConfigurationError()).toExtend<RefreshError>();
		// @ts-expect-error not an AuthenticationError code
		new AuthenticationError({response: Response.error(), request: new Request('https://x.test'), code: 'EXPIRED'});
		// @ts-expect-error not a RefreshError code
		new RefreshError('REFRESH_EXPLODED');
	});
});

describe('parseWWWAuthenticate', () => {
	test('takes a field value or its lines and returns Challenge[]', () => {
		expectTypeOf(parseWWWAuthenticate).parameters.toEqualTypeOf<[fieldLines: string | readonly string[]]>();
		expectTypeOf(parseWWWAuthenticate('Bearer realm="x"')).toEqualTypeOf<Challenge[]>();
		expectTypeOf(parseWWWAuthenticate(['Basic realm="a"', 'Bearer'] as const)).toEqualTypeOf<Challenge[]>();
		expectTypeOf<Challenge>().toEqualTypeOf<{scheme: string; params: Record<string, string>; token68?: string}>();
		// @ts-expect-error a Headers object is not a field value
		parseWWWAuthenticate(new Headers());
		// @ts-expect-error null is not a field value (use headers.get() ?? '')
		parseWWWAuthenticate(null);
	});
});
