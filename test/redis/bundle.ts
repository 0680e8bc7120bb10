import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

/**
 * Bundles a script of test/redis (run as its own Node process by a test) with the library from src/; packages
 * stay imports from node_modules. Resolves with the bundle's path, `node_modules/.cache/ky-auth-redis-test/<name>.mjs`.
 */
export async function bundleScript(name: string): Promise<string> {
	const outfile = fileURLToPath(new URL(`../../node_modules/.cache/ky-auth-redis-test/${name}.mjs`, import.meta.url));
	await build({
		entryPoints: [fileURLToPath(new URL(`${name}.ts`, import.meta.url))],
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node22',
		packages: 'external',
		outfile,
		logLevel: 'silent',
	});
	return outfile;
}
