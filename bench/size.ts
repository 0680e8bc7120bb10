/**
 * Bundle size: esbuild (bundle, minify, ESM, browser platform, es2022), then gzip level 9.
 * ky-auth is measured from the built `dist/index.js` with every export kept (rebuilt by `npm run bench`, so the
 * root entry's figure always includes what was added to it), and each subpath entry from its `dist/<entry>.js`
 * with its optional peer external; `ky-auth/dpop` is measured a second time with the parts of jose it imports.
 */
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {build} from 'esbuild';

export interface SizeEntry {
	id: string;
	label: string;
	minBytes: number;
	gzipBytes: number;
}

export interface SizeResult {
	target: string;
	entries: SizeEntry[];
}

const root = fileURLToPath(new URL('..', import.meta.url));
const target = 'es2022';

/** The root entry's dependencies: external to every "own code" figure. */
const coreDependencies = ['ky', 'p-queue', 'jwt-decode'];
/** The optional peers of the subpath entries: external to each entry's own figure. */
const peers = ['oauth4webapi', 'jose', 'ioredis', 'redis', 'react', 'vue', 'svelte', 'svelte/*'];

const bundles: ReadonlyArray<{id: string; label: string; contents: string; external?: string[]}> = [
	{id: 'kyAuthOwn', label: 'ky-auth, own code (ky, p-queue, jwt-decode external)', contents: "export * from './dist/index.js';", external: [...coreDependencies]},
	{id: 'kyAuthTypical', label: 'ky-auth, own code, typical import (createAuthSession, createAuthClient, memoryStore)', contents: "export {createAuthSession, createAuthClient, memoryStore} from './dist/index.js';", external: [...coreDependencies]},
	{id: 'kyAuthFull', label: 'ky-auth + ky + p-queue + jwt-decode', contents: "export * from './dist/index.js';"},
	// Each subpath entry: its own code plus the shared chunks it loads, with its framework or client and the core's dependencies external.
	...(['oauth', 'redis', 'react', 'vue', 'svelte', 'dpop'] as const).map(entry => ({
		id: `entry-${entry}`,
		label: `ky-auth/${entry}, own code (its peer, ky, p-queue, jwt-decode external)`,
		contents: `export * from './dist/${entry}.js';`,
		external: [...coreDependencies, ...peers],
	})),
	// The same rule, then with its peer counted: what ky-auth/dpop costs an app that has no jose yet (only the parts of jose it imports).
	{id: 'entry-dpop-jose', label: 'ky-auth/dpop + the parts of jose it imports (ky, p-queue, jwt-decode external)', contents: "export * from './dist/dpop.js';", external: [...coreDependencies]},
	{id: 'ky', label: 'plain ky', contents: "export {default} from 'ky';"},
	{id: 'axiosAuthRefresh', label: 'axios + axios-auth-refresh', contents: "export {default as axios} from 'axios'; export {createAuthRefresh} from 'axios-auth-refresh';"},
	{id: 'axios', label: 'axios alone', contents: "export {default} from 'axios';"},
	{id: 'pQueue', label: 'p-queue alone', contents: "export {default} from 'p-queue';"},
	{id: 'jwtDecode', label: 'jwt-decode alone', contents: "export {jwtDecode} from 'jwt-decode';"},
];

export async function measureSizes(): Promise<SizeResult> {
	const entries: SizeEntry[] = [];
	for (const bundle of bundles) {
		const output = await build({
			stdin: {contents: bundle.contents, resolveDir: root, loader: 'js', sourcefile: `${bundle.id}.js`},
			bundle: true,
			minify: true,
			format: 'esm',
			platform: 'browser',
			target,
			write: false,
			legalComments: 'none',
			logLevel: 'silent',
			external: bundle.external ?? [],
		});
		const code = output.outputFiles[0]!.contents;
		entries.push({id: bundle.id, label: bundle.label, minBytes: code.byteLength, gzipBytes: gzipSync(code, {level: 9}).byteLength});
	}
	return {target: `esbuild ${target}, platform browser, minify, gzip -9`, entries};
}
