import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bundle, fixture, scratch} from './bundle.js';
import {expectCases} from './expectations.js';
import type {CaseResults} from './fixtures/cases.js';
import {startRuntimeServer, type RuntimeServer} from './server.js';

/**
 * The cases of fixtures/cases.ts run inside Bun and Deno (the binaries the npm packages `bun` and `deno` install
 * in node_modules/.bin), each as a child process, on ky-auth bundled with its dependencies into one ES module.
 */
const bin = fileURLToPath(new URL('../../node_modules/.bin/', import.meta.url));
const runtimes = [
	{name: 'Bun', binary: join(bin, 'bun'), args: (file: string) => ['run', file]},
	{name: 'Deno', binary: join(bin, 'deno'), args: (file: string) => ['run', '--allow-net', '--no-config', file]},
];

/** Runs `binary` to its end, with a 60 s limit; its stdout and stderr whatever its exit. */
async function run(binary: string, args: string[]): Promise<{stdout: string; stderr: string; code: number | null}> {
	return new Promise(resolve => {
		execFile(binary, args, {timeout: 60_000, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1'}}, (error, stdout, stderr) => {
			resolve({stdout, stderr, code: error ? (typeof error.code === 'number' ? error.code : null) : 0});
		});
	});
}

let server: RuntimeServer;
let file: string;
let removeScratch: () => Promise<void>;

beforeAll(async () => {
	server = await startRuntimeServer();
	const {dir, remove} = await scratch();
	removeScratch = remove;
	file = await bundle(fixture('standalone.ts'), join(dir, 'standalone.js'), {__RUNTIME_SERVER__: JSON.stringify(server.url)});
}, 60_000);

afterAll(async () => {
	await server.close();
	await removeScratch();
});

describe.each(runtimes)('in $name', ({name, binary, args}) => {
	const missing = !existsSync(binary);
	it.skipIf(missing)(missing ? `skipped: ${binary} is missing (npm install installs it)` : 'one refresh per storm, a retry once, a 403 not retried, the token kept to its origin across redirects', async () => {
		const {stdout, stderr, code} = await run(binary, args(file));
		const line = stdout.split('\n').find(text => text.startsWith('RESULTS '));
		expect(line, `${name} exited ${code}: ${stderr}`).toBeDefined();
		const results = JSON.parse(line!.slice('RESULTS '.length)) as CaseResults;
		// Every runtime runs the same cases against the same server: the counts of each are read before the next runs.
		expectCases(results, server);
		server.reset();
	}, 60_000);
});
