#!/usr/bin/env node
// Checks the package as npm would publish it: packs it, lints the tarball (publint, attw), installs it
// into a fresh project outside the repository and uses it from ESM, from CommonJS (require(esm)) and from
// TypeScript against the emitted dist/index.d.ts. Run after `npm run build` (`npm run check` does both).
// Exits non-zero with a clear message on the first failure; the temp directory is kept then.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** The runtime exports of the package: its public API. Update together with src/index.ts. */
const expectedExports = [
	'AuthenticationError',
	'ChallengeParseError',
	'ConfigurationError',
	'PermissionError',
	'RefreshError',
	'StepUpRequiredError',
	'StoreError',
	'apiKey',
	'autoRefresh',
	'basic',
	'bearer',
	'createAuthClient',
	'createAuthFetch',
	'createAuthSession',
	'createMachineSession',
	'indexedDbStore',
	'memoryStore',
	'parseWWWAuthenticate',
	'sharedMemoryStore',
	'webStorageStore',
];

class CheckFailure extends Error {}

function fail(message) {
	throw new CheckFailure(message);
}

function step(title) {
	console.log(`\n── ${title}`);
}

/** Runs a command, streaming its output; fails with `what` when it exits non-zero. */
function run(what, command, args, options = {}) {
	const result = spawnSync(command, args, {stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', cwd: options.cwd ?? root, env: {...process.env, ...options.env}});
	if (result.error) {
		fail(`${what}: could not run ${command}: ${result.error.message}`);
	}
	if (result.status !== 0) {
		fail(`${what} failed (${command} ${args.join(' ')} exited with ${result.status ?? result.signal})`);
	}
	return result.stdout;
}

/** Runs a bin of a devDependency with this Node (process.execPath), whatever PATH says. */
function runBin(what, packageName, binName, args, options) {
	// Not require.resolve('<name>/package.json'): publint's "exports" does not expose it.
	const packageJsonPath = path.join(root, 'node_modules', packageName, 'package.json');
	const {bin} = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
	const relative = typeof bin === 'string' ? bin : bin[binName];
	return run(what, process.execPath, [path.join(path.dirname(packageJsonPath), relative), ...args], options);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
	console.error(`check-package: needs Node >= 22.12 (require(esm), tsup's output), this is ${process.version}. Run it through \`npm run check\`, which uses the project's Node.`);
	process.exit(1);
}

const work = mkdtempSync(path.join(tmpdir(), 'ky-auth-check-'));
let ok = false;

try {
	step('built files');
	for (const file of ['dist/index.js', 'dist/index.d.ts']) {
		if (!existsSync(path.join(root, file))) {
			fail(`${file} is missing: run \`npm run build\` first`);
		}
	}
	console.log('dist/index.js and dist/index.d.ts exist');

	step('npm pack');
	const packed = JSON.parse(run('npm pack', 'npm', ['pack', '--json', '--pack-destination', work], {capture: true}))[0];
	const tarball = path.join(work, packed.filename);
	const files = packed.files.map(file => file.path);
	console.log(`${packed.filename}: ${files.length} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`);
	for (const file of files) {
		console.log(`  ${file}`);
	}
	for (const required of ['package.json', 'dist/index.js', 'dist/index.d.ts']) {
		if (!files.includes(required)) {
			fail(`the tarball lacks ${required}`);
		}
	}
	// Every relative link of a shipped Markdown page leads to a shipped file (README.md names LICENSE, CONTRIBUTING.md, docs/…).
	for (const page of files.filter(file => file.endsWith('.md'))) {
		const text = readFileSync(path.join(root, page), 'utf8');
		for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
			if (/^[a-z][a-z+.-]*:|^#/i.test(target)) {
				continue;
			}
			const linked = path.posix.normalize(path.posix.join(path.posix.dirname(page), target.split('#')[0]));
			if (!files.includes(linked) && !files.some(file => file.startsWith(`${linked.replace(/\/$/, '')}/`))) {
				fail(`${page} links ${target}, which the tarball does not ship`);
			}
		}
	}
	const stray = files.filter(file => /^(src|test|bench|demo|scripts|coverage|node_modules)\//.test(file) || /\.tgz$/.test(file));
	if (stray.length > 0) {
		fail(`the tarball contains files that must not be published: ${stray.join(', ')}`);
	}

	step('publint (warnings count as errors)');
	runBin('publint', 'publint', 'publint', ['run', tarball, '--strict']);

	step('attw --profile esm-only (ESM-only package: CommonJS consumers require() it on Node >= 22.12)');
	runBin('attw (are the types wrong)', '@arethetypeswrong/cli', 'attw', [tarball, '--profile', 'esm-only']);

	step('install the tarball into a fresh project');
	const consumer = path.join(work, 'consumer');
	mkdirSync(consumer);
	writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({name: 'ky-auth-consumer', version: '0.0.0', private: true}, null, '\t'));
	run('npm install of the packed tarball', 'npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', '--loglevel=error'], {cwd: consumer});
	const installed = JSON.parse(readFileSync(path.join(consumer, 'node_modules', manifest.name, 'package.json'), 'utf8'));
	if (installed.version !== manifest.version) {
		fail(`installed ${manifest.name}@${installed.version}, expected ${manifest.version}`);
	}
	console.log(`installed ${manifest.name}@${installed.version} with ${Object.keys(manifest.dependencies ?? {}).join(', ')}`);

	// One flow shared by the ESM and CJS smoke tests: sign in, read the token, and a ky client whose
	// first request gets a 401, refreshes once (p-queue, ky hooks) and retries with the new token.
	const flow = `
const expected = ${JSON.stringify(expectedExports)};
const actual = Object.keys(api).filter(key => key !== 'default' && key !== '__esModule' && key !== 'module.exports').sort();
const missing = expected.filter(name => !actual.includes(name));
const extra = actual.filter(name => !expected.includes(name));
if (missing.length > 0 || extra.length > 0) {
	throw new Error('exports differ from the public API: missing [' + missing.join(', ') + '], unexpected [' + extra.join(', ') + '] (update expectedExports in scripts/check-package.mjs when intended)');
}
const assert = (condition, message) => { if (!condition) throw new Error(message); };
let refreshes = 0;
const session = api.createAuthSession({refresh: async ({reason}) => { refreshes++; assert(reason === 'unauthorized', 'refresh reason ' + reason); return {accessToken: 'fresh', expiresIn: 3600}; }});
await session.signIn({accessToken: 'stale', refreshToken: 'r', expiresIn: 3600});
assert(await session.getAccessToken() === 'stale', 'getAccessToken after signIn');
assert(session.getSnapshot().status === 'signedIn', 'snapshot status ' + session.getSnapshot().status);
const seen = [];
const fetch = async request => {
	const authorization = request.headers.get('authorization');
	seen.push(authorization);
	return authorization === 'Bearer fresh' ? Response.json({ok: true}) : new Response(null, {status: 401, headers: {'www-authenticate': 'Bearer error="invalid_token"'}});
};
const client = api.createAuthClient(session, {prefix: 'https://api.example.test', fetch, retry: 0});
const body = await client.get('me').json();
assert(body.ok === true && refreshes === 1, 'refresh-and-retry flow: ' + JSON.stringify({body, refreshes, seen}));
assert(seen.join() === 'Bearer stale,Bearer fresh', 'Authorization headers sent: ' + seen.join());
assert(await session.getAccessToken() === 'fresh', 'token after refresh');
const challenges = api.parseWWWAuthenticate('Bearer realm="x", error="insufficient_scope"');
assert(challenges.length === 1 && challenges[0].scheme === 'bearer' && challenges[0].params.error === 'insufficient_scope', 'parseWWWAuthenticate');
await session.signOut();
assert(session.getSnapshot().status === 'signedOut', 'signOut');
`;

	step('subpath entries: each in the tarball, importable with its optional peer, and the root entry free of them');
	const subpaths = Object.keys(manifest.exports).filter(key => key !== '.' && key !== './package.json');
	const peers = Object.keys(manifest.peerDependencies ?? {});
	for (const subpath of subpaths) {
		const name = subpath.slice(2);
		for (const file of [`dist/${name}.js`, `dist/${name}.d.ts`]) {
			if (!files.includes(file)) {
				fail(`the tarball lacks ${file} (export "${subpath}")`);
			}
		}
	}
	// The root entry and every chunk it loads import no optional peer: a user who never imports a subpath needs none.
	// A subpath loads only its own peers: ky-auth/oauth takes a DPoP proof maker by its type, never loading jose.
	const ownPeers = {'dist/index.js': [], 'dist/oauth.js': ['oauth4webapi']};
	const loaded = new Set();
	for (const [entry, allowed] of Object.entries(ownPeers)) {
		const seen = new Set();
		const pending = [entry];
		while (pending.length > 0) {
			const file = pending.pop();
			if (seen.has(file)) {
				continue;
			}
			seen.add(file);
			const code = readFileSync(path.join(root, file), 'utf8');
			for (const [, specifier] of code.matchAll(/(?:from|import)\s*['"]([^'"]+)['"]/g)) {
				if (specifier.startsWith('./')) {
					pending.push(path.posix.join('dist', specifier.slice(2)));
				} else if (peers.some(peer => !allowed.includes(peer) && (specifier === peer || specifier.startsWith(`${peer}/`)))) {
					fail(`${file} (loaded by ${entry}) imports the optional peer "${specifier}"`);
				}
			}
		}
		if (entry === 'dist/index.js') {
			for (const file of seen) {
				loaded.add(file);
			}
		} else {
			console.log(`${entry} loads ${seen.size} files, none imports an optional peer but ${allowed.join(', ')}`);
		}
	}
	console.log(`root entry loads ${loaded.size} files, none imports an optional peer (${peers.join(', ')})`);
	run('npm install of the optional peers', 'npm', ['install', ...peers.map(peer => `${peer}@${manifest.devDependencies[peer] ?? manifest.peerDependencies[peer]}`), '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', '--loglevel=error'], {cwd: consumer});
	const subpathCheck = subpaths.map(subpath => `{
	const entry = await import('${manifest.name}/${subpath.slice(2)}');
	const names = Object.keys(entry);
	if (names.length === 0) throw new Error('${subpath} exports nothing');
	console.log('${manifest.name}/${subpath.slice(2)}: ' + names.sort().join(', '));
}`).join('\n');
	writeFileSync(path.join(consumer, 'subpaths.mjs'), subpathCheck + '\n');
	run('ESM import of every subpath entry', process.execPath, ['subpaths.mjs'], {cwd: consumer});

	step('ky-auth/dpop from the tarball: a proof signed with a non-extractable key verifies with jose');
	writeFileSync(path.join(consumer, 'dpop.mjs'), `import {dpop} from '${manifest.name}/dpop';
import {EmbeddedJWK, jwtVerify} from 'jose';
const scheme = dpop();
scheme.observe(new Response(null, {headers: {'dpop-nonce': 'n-1', date: new Date(Date.now() + 300_000).toUTCString()}}), 'https://api.example.test/');
const {headers} = await scheme.credentials({method: 'GET', url: 'https://api.example.test/a?b#c', grant: {kind: 'token', token: 't', tokenType: 'DPoP', epoch: 1}});
const proof = new Map(headers).get('dpop');
const {payload, protectedHeader} = await jwtVerify(proof, EmbeddedJWK, {typ: 'dpop+jwt'});
const expected = {htm: 'GET', htu: 'https://api.example.test/a', nonce: 'n-1', ath: '47mKTaMaEn1L3m5DAz9muidMqw636xxw7EFAK_YnPdg'};
for (const [claim, value] of Object.entries(expected)) {
	if (payload[claim] !== value) throw new Error('dpop proof claim ' + claim + ': ' + JSON.stringify(payload[claim]) + ', expected ' + JSON.stringify(value));
}
if (Math.abs(payload.iat - (Date.now() / 1000 + 300)) > 5) throw new Error('dpop proof iat ' + payload.iat + ' does not follow the server clock');
if ('d' in protectedHeader.jwk) throw new Error('dpop proof jwk holds the private key');
console.log('${manifest.name}/dpop: ' + protectedHeader.alg + ' proof verified (htm, htu, iat, nonce, ath), thumbprint ' + await scheme.thumbprint());
`);
	run('ky-auth/dpop proof check', process.execPath, ['dpop.mjs'], {cwd: consumer});

	step('import from an ES module (.mjs)');
	writeFileSync(path.join(consumer, 'esm.mjs'), `import * as api from '${manifest.name}';\n${flow}\nconsole.log('ESM import OK: ' + actual.length + ' exports, sign-in, refresh-and-retry, challenge parsing');\n`);
	run('ESM smoke test', process.execPath, ['esm.mjs'], {cwd: consumer});

	step(`require() from CommonJS (.cjs) on Node ${process.versions.node}`);
	writeFileSync(path.join(consumer, 'cjs.cjs'), `const api = require('${manifest.name}');\n(async () => {\n${flow}\nconsole.log('CJS require(esm) OK: ' + actual.length + ' exports, same flow');\n})().catch(error => { console.error(error); process.exitCode = 1; });\n`);
	run('CJS require() smoke test', process.execPath, ['cjs.cjs'], {cwd: consumer});

	step('type-check a TypeScript consumer against dist/index.d.ts (tsc, module nodenext, skipLibCheck off)');
	writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({
		compilerOptions: {
			target: 'ES2022',
			module: 'NodeNext',
			moduleResolution: 'NodeNext',
			lib: ['ES2023', 'DOM', 'DOM.Iterable'],
			types: [],
			strict: true,
			exactOptionalPropertyTypes: true,
			noEmit: true,
			skipLibCheck: false,
		},
		files: ['consumer.mts', 'consumer.cts'],
	}, null, '\t'));
	writeFileSync(path.join(consumer, 'consumer.mts'), `import {HTTPError, type KyInstance} from 'ky';
import {
	AuthenticationError, PermissionError, RefreshError, createAuthClient, createAuthFetch, createAuthSession, memoryStore, parseWWWAuthenticate,
	type AuthSession, type AuthSnapshot, type Challenge, type RefreshContext, type TokenSet, type TokenStore,
} from '${manifest.name}';
import {dpop, memoryKeys, type DPoPKeyStore, type DPoPProofs, type DPoPScheme} from '${manifest.name}/dpop';

const store: TokenStore = memoryStore();
const session: AuthSession = createAuthSession({
	store,
	refresh: async ({tokens, reason, signal}: RefreshContext): Promise<TokenSet | null> => (reason === 'manual' || signal.aborted ? null : {accessToken: 'a', refreshToken: tokens?.refreshToken ?? 'r'}),
});
const client: KyInstance = createAuthClient(session, {prefix: 'https://api.example.test', timeout: 1000, allowedOrigins: ['https://api.example.test'], authScheme: 'Bearer'});
const authFetch: typeof fetch = createAuthFetch(session, {baseUrl: 'https://api.example.test'});
const status: AuthSnapshot['status'] = session.getSnapshot().status;
const challenges: Challenge[] = parseWWWAuthenticate('Bearer realm="x"');
const token: Promise<string | null> = session.getAccessToken();
function classify(error: unknown): string {
	if (error instanceof AuthenticationError) {
		const code: 'AUTHENTICATION_FAILED' | 'SESSION_ENDED' | 'NOT_SIGNED_IN' = error.code;
		const http: HTTPError = error;
		return code + http.response.status;
	}
	if (error instanceof PermissionError) {
		const code: 'PERMISSION_DENIED' = error.code;
		return code + error.requiredScopes.join(' ');
	}
	return error instanceof RefreshError ? error.code : 'other';
}
// @ts-expect-error wrong option type must not compile against the published types
createAuthSession({refreshWindow: '30s'});
const keys: DPoPKeyStore = memoryKeys();
const scheme: DPoPScheme = dpop({keys, algorithm: 'EdDSA', clockOffset: true});
const proofs: DPoPProofs = scheme;
const proof: Promise<string> = proofs.proof({method: 'POST', url: 'https://auth.example.test/token'});
// @ts-expect-error an algorithm dpop() does not generate must not compile
dpop({algorithm: 'HS256'});
export {client, authFetch, status, challenges, token, classify, proof};
`);
	writeFileSync(path.join(consumer, 'consumer.cts'), `import kyAuth = require('${manifest.name}');
const session: kyAuth.AuthSession = kyAuth.createAuthSession();
export = session;
`);
	runBin('tsc type-check of the TypeScript consumer', 'typescript', 'tsc', ['-p', path.join(consumer, 'tsconfig.json')], {cwd: consumer});
	console.log('TypeScript consumer (ESM .mts and CommonJS .cts) type-checks against the packed types');

	ok = true;
	console.log(`\ncheck-package: ${manifest.name}@${manifest.version} OK (pack, publint, attw, ESM import, CJS require, TypeScript consumer)`);
} catch (error) {
	console.error(`\ncheck-package FAILED: ${error instanceof CheckFailure ? error.message : error?.stack ?? error}`);
	console.error(`(temp files kept in ${work})`);
	process.exitCode = 1;
} finally {
	if (ok) {
		rmSync(work, {recursive: true, force: true});
	}
}
