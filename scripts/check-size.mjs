// What a user's bundler adds for ky-auth, measured from the built package (dist/) as a user's bundler resolves it:
// esbuild bundle + minify, ESM, platform browser, es2022, then gzip -9. `production` is a browser production
// build (export conditions browser + production: dist/production/); `development` is the same import without the
// production condition (dist/). The dependencies (ky, p-queue, jwt-decode) and the optional peers stay external,
// except in the "with dependencies" row. Fails when a figure exceeds its limit. Run by `npm run check` after the
// build; docs/benchmarks.md ("Bundle size") has the figures and how to reproduce them.
// usage: node scripts/check-size.mjs [--json]
import {mkdtempSync, mkdirSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {gzipSync} from 'node:zlib';
import {build} from 'esbuild';

const peers = ['ky', 'p-queue', 'jwt-decode', 'oauth4webapi', 'jose', 'ioredis', 'redis', 'react', 'vue', 'svelte', 'svelte/*'];

/**
 * Each import, and its limit in bytes (min+gzip) per build. A limit is today's figure plus a little: raising one
 * is a decision for a commit of its own, with the reason in docs/benchmarks.md.
 */
export const cases = [
	{name: 'typical: createAuthSession, createAuthClient, memoryStore', code: "export {createAuthSession, createAuthClient, memoryStore} from 'ky-auth';", limit: {production: 12350, development: 16450}},
	{name: 'typical with autoRefresh', code: "export {createAuthSession, createAuthClient, memoryStore, autoRefresh} from 'ky-auth';", limit: {production: 12750, development: 16850}},
	{name: 'typical with indexedDbStore', code: "export {createAuthSession, createAuthClient, indexedDbStore} from 'ky-auth';", limit: {production: 14150, development: 18350}},
	{name: 'fetch adapter: createAuthSession, createAuthFetch, memoryStore', code: "export {createAuthSession, createAuthFetch, memoryStore} from 'ky-auth';", limit: {production: 11500, development: 15450}},
	{name: 'typical with ky, p-queue and jwt-decode bundled', code: "export {createAuthSession, createAuthClient, memoryStore, indexedDbStore} from 'ky-auth';", bundleDependencies: true, limit: {production: 26000, development: 30150}},
	{name: 'entry ky-auth (everything)', code: "export * from 'ky-auth';", limit: {production: 17900, development: 22350}},
	{name: 'entry ky-auth/oauth', code: "export * from 'ky-auth/oauth';", limit: {production: 7050, development: 8600}},
	{name: 'entry ky-auth/redis', code: "export * from 'ky-auth/redis';", limit: {production: 8150, development: 9300}},
	{name: 'entry ky-auth/dpop', code: "export * from 'ky-auth/dpop';", limit: {production: 4300, development: 4400}},
	{name: 'entry ky-auth/react', code: "export * from 'ky-auth/react';", limit: {production: 7350, development: 10750}},
	{name: 'entry ky-auth/vue', code: "export * from 'ky-auth/vue';", limit: {production: 1100, development: 1350}},
	{name: 'entry ky-auth/svelte', code: "export * from 'ky-auth/svelte';", limit: {production: 800, development: 1000}},
];

const builds = {
	production: ['production'],
	development: ['development'],
};

/** A folder where `ky-auth` resolves to this repository, as it would from a user's node_modules. */
function consumer() {
	const dir = mkdtempSync(join(tmpdir(), 'ky-auth-size-'));
	mkdirSync(join(dir, 'node_modules'));
	symlinkSync(resolve('.'), join(dir, 'node_modules', 'ky-auth'), 'dir');
	for (const dependency of ['ky', 'p-queue', 'jwt-decode']) {
		symlinkSync(resolve('node_modules', dependency), join(dir, 'node_modules', dependency), 'dir');
	}
	return dir;
}

/** Minified and min+gzip bytes of one import in one build. */
export async function measure(dir, entry, conditions) {
	const result = await build({
		stdin: {contents: entry.code, resolveDir: dir, loader: 'js', sourcefile: 'app.js'},
		bundle: true,
		minify: true,
		format: 'esm',
		platform: 'browser',
		target: 'es2022',
		conditions,
		external: entry.bundleDependencies ? peers.slice(3) : peers,
		legalComments: 'none',
		write: false,
		logLevel: 'error',
	});
	const code = result.outputFiles[0].contents;
	return {min: code.byteLength, gzip: gzipSync(code, {level: 9}).byteLength};
}

async function main() {
	const dir = consumer();
	const rows = [];
	try {
		for (const entry of cases) {
			const row = {name: entry.name};
			for (const [buildName, conditions] of Object.entries(builds)) {
				row[buildName] = {...await measure(dir, entry, conditions), limit: entry.limit[buildName]};
			}
			rows.push(row);
		}
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
	if (process.argv.includes('--json')) {
		console.log(JSON.stringify(rows, null, 2));
	}
	const kb = bytes => `${(bytes / 1024).toFixed(2)} KB`;
	const over = [];
	console.log('check-size: min+gzip of ky-auth\'s own code (esbuild, browser, es2022, minified, gzip -9)');
	console.log(`${'import'.padEnd(66)} ${'production'.padStart(11)} ${'development'.padStart(12)}`);
	for (const row of rows) {
		console.log(`${row.name.padEnd(66)} ${kb(row.production.gzip).padStart(11)} ${kb(row.development.gzip).padStart(12)}`);
		for (const buildName of Object.keys(builds)) {
			if (row[buildName].gzip > row[buildName].limit) {
				over.push(`${row.name} (${buildName}): ${row[buildName].gzip} B, limit ${row[buildName].limit} B`);
			}
		}
	}
	if (over.length > 0) {
		console.error(`check-size: over the limit (scripts/check-size.mjs):\n${over.map(line => `  ${line}`).join('\n')}`);
		process.exit(1);
	}
}

await main();
