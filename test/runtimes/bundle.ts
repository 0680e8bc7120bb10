import {build} from 'esbuild';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** A fixture of test/runtimes/fixtures/, by file name. */
export function fixture(name: string): string {
	return fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
}

/** A temporary folder, removed by the returned function. */
export async function scratch(): Promise<{dir: string; remove: () => Promise<void>}> {
	const dir = await mkdtemp(join(tmpdir(), 'ky-auth-runtimes-'));
	return {dir, remove: async () => rm(dir, {recursive: true, force: true})};
}

/**
 * Bundles `entry` (a fixture importing ky-auth's sources) with ky, p-queue and jwt-decode into one ES module, for a
 * runtime that loads a single file (workerd) or should not resolve packages itself (Bun, Deno). The defines are
 * those of the default build (tsup.config.ts's dist/). `replace` swaps source files for other contents (the
 * control of the workerd suite).
 */
export async function bundle(entry: string, outfile: string, define: Record<string, string>, replace: Record<string, string> = {}): Promise<string> {
	await build({
		entryPoints: [entry],
		outfile,
		bundle: true,
		format: 'esm',
		platform: 'neutral',
		mainFields: ['module', 'main'],
		target: 'es2022',
		logLevel: 'silent',
		define: {__KY_AUTH_DEV__: 'true', __KY_AUTH_BROWSER_PRODUCTION__: 'false', __KY_AUTH_VERSION__: '"0.0.0-runtimes"', ...define},
		plugins: [
			{
				name: 'replace-sources',
				setup(plugin) {
					plugin.onLoad({filter: /\.ts$/}, args => {
						const contents = replace[args.path];
						return contents === undefined ? undefined : {contents, loader: 'ts'};
					});
				},
			},
		],
	});
	return outfile;
}
