/**
 * Issue 17: messages by build. The browser production build (tsup.config.ts's second build: __KY_AUTH_DEV__
 * false, picked by the browser + production export conditions) says each error's code and links to
 * docs/errors.md; every other build (Node, development, the sources) keeps the full messages. Codes, types and
 * fields are the same in both. Both variants are built here from src/ with the defines of tsup.config.ts and
 * run in Node, so the test runs on a fresh clone without `npm run build`.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {http, HttpResponse} from 'msw';
import {beforeAll, describe, expect, it} from 'vitest';
import type * as KyAuth from '../../src/index.js';
import {useMsw} from '../helpers/msw.js';

const api = 'https://api.example.test';
const msw = useMsw();
/** Inside the repository, so the bundles' imports of ky, p-queue and jwt-decode resolve from its node_modules. */
const outDir = resolve('node_modules/.cache/ky-auth-test/messages-by-build');

async function variant(dev: boolean): Promise<typeof KyAuth> {
	const result = await build({
		entryPoints: ['src/index.ts'],
		bundle: true,
		format: 'esm',
		platform: 'neutral',
		target: 'es2022',
		minifySyntax: true,
		external: ['ky', 'p-queue', 'jwt-decode'],
		define: {__KY_AUTH_DEV__: String(dev), __KY_AUTH_VERSION__: '"0.0.0-test"'},
		write: false,
		logLevel: 'error',
	});
	mkdirSync(outDir, {recursive: true});
	const file = join(outDir, `${dev ? 'development' : 'production'}-${process.pid}.mjs`);
	const text = result.outputFiles[0]?.text ?? '';
	writeFileSync(file, text);
	return import(pathToFileURL(file).href) as Promise<typeof KyAuth>;
}

/** The same failures, caught from one build: a message per case, with the code and class of each. */
type Caught = {name: string; code?: string; message: string};
type Failures = Record<'option' | 'signIn' | 'notSignedIn' | 'refreshUnavailable' | 'refreshFailed' | 'challenge', Caught>;

async function failures(lib: typeof KyAuth): Promise<Failures> {
	const caught = async (run: () => unknown): Promise<Caught> => {
		try {
			await run();
		} catch (error) {
			const {name, message, code} = error as Error & {code?: string};
			return code === undefined ? {name, message} : {name, code, message};
		}
		throw new Error('expected a failure');
	};
	msw.use(http.get(`${api}/me`, () => new HttpResponse(null, {status: 401})));
	return {
		option: await caught(() => lib.createAuthSession({refreshTimeout: '30s' as unknown as number})),
		signIn: await caught(async () => lib.createAuthSession().signIn({accessToken: ''})),
		notSignedIn: await caught(async () => lib.createAuthClient(lib.createAuthSession(), {baseUrl: api, retry: 0}).get('me')),
		refreshUnavailable: await caught(async () => lib.createAuthSession().refresh()),
		refreshFailed: await caught(async () => {
			const session = lib.createAuthSession({refresh: async () => {
				throw new Error('the token endpoint is down');
			}});
			await session.signIn({accessToken: 'a', refreshToken: 'r', expiresIn: 300});
			return session.refresh();
		}),
		challenge: await caught(() => lib.parseWWWAuthenticate('Bearer realm="x')),
	};
}

describe('messages by build', () => {
	let development: Failures;
	let production: Failures;
	beforeAll(async () => {
		development = await failures(await variant(true));
		production = await failures(await variant(false));
	}, 60_000);

	it('development (and Node, and the sources): the full messages, with their reasons and hints', () => {
		expect(development.option.message).toBe('createAuthSession: options.refreshTimeout: expected a number of milliseconds above 0 and at most 2147483647, got a string ("30s")');
		expect(development.signIn.message).toBe('signIn: expected a TokenSet, got an object whose "accessToken" is an empty string');
		expect(development.notSignedIn.message).toBe(`Request failed with status code 401 Unauthorized: GET ${api}/me. Nobody is signed in, so the request was sent without credentials: sign in first (session.signIn(tokens)).`);
		expect(development.refreshUnavailable.message).toBe('The session has no refresh function');
		expect(development.refreshFailed.message).toBe('The token refresh failed: the token endpoint is down');
		expect(development.challenge.message).toBe('Invalid WWW-Authenticate at 15: unterminated quoted-string');
	});

	it('browser production: the code and a link to the page that explains it, nothing else of ours', () => {
		const page = 'https://unpkg.com/ky-auth@0.0.0-test/docs/errors.md';
		expect(production.option.message).toBe(`createAuthSession: options.refreshTimeout: TypeError: see ${page}#typeerror`);
		expect(production.signIn.message).toBe(`signIn: TypeError: see ${page}#typeerror`);
		expect(production.notSignedIn.message).toBe(`Request failed with status code 401 Unauthorized: GET ${api}/me. NOT_SIGNED_IN: see ${page}#not_signed_in`);
		expect(production.refreshUnavailable.message).toBe(`REFRESH_UNAVAILABLE: see ${page}#refresh_unavailable`);
		expect(production.refreshFailed.message).toBe(`REFRESH_FAILED: see ${page}#refresh_failed`);
		expect(production.challenge.message).toBe(`CHALLENGE_PARSE_ERROR: see ${page}#challenge_parse_error (at 15)`);
	});

	it('the same class and code in both builds', () => {
		const shape = (all: Failures): Record<string, unknown> => Object.fromEntries(Object.entries(all).map(([key, {name, code}]) => [key, {name, code}]));
		expect(shape(production)).toEqual(shape(development));
		expect(shape(development)).toMatchObject({notSignedIn: {name: 'AuthenticationError', code: 'NOT_SIGNED_IN'}, refreshFailed: {name: 'RefreshError', code: 'REFRESH_FAILED'}, option: {name: 'TypeError'}});
	});
});
