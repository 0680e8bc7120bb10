// Where an import's bytes come from, per source file, as check-size sees them (issue 17). A single esbuild pass
// over src/ over-counts: constants such as `browserProduction` fold only after bundling, so code the built package
// drops (the deep redaction, the redirect re-walk) still looks present. This builds in two passes, as a user's
// bundler sees ky-auth: (1) the whole root entry with the production build's constants, like tsup.config.ts, each
// file's code marked; (2) the import, tree-shaken from that. Prints the import's min and min+gzip size, then the
// minified bytes of each source file in it (whitespace and syntax minified, names not: a share, not a gzip figure).
// The totals run about 5 % above check-size's, which measures the built package (tsup also tree-shakes with Rollup).
// usage: node scripts/size-by-file.mjs ["createAuthSession, createAuthClient, memoryStore"] [--development]
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {gzipSync} from 'node:zlib';
import {build, transformSync} from 'esbuild';

const args = process.argv.slice(2);
const development = args.includes('--development');
const names = args.find(argument => !argument.startsWith('--')) ?? 'createAuthSession, createAuthClient, memoryStore';
const external = ['ky', 'p-queue', 'jwt-decode'];
const marker = /^\/\/ (src\/\S+)$/gm;

const work = mkdtempSync(join(tmpdir(), 'ky-auth-size-by-file-'));
try {
	const whole = await build({
		entryPoints: [resolve('src/index.ts')],
		bundle: true,
		minifySyntax: true,
		format: 'esm',
		platform: 'neutral',
		target: 'es2022',
		external,
		define: {__KY_AUTH_DEV__: String(development), __KY_AUTH_BROWSER_PRODUCTION__: String(!development), __KY_AUTH_VERSION__: '"0.0.0"'},
		write: false,
		logLevel: 'error',
	});
	// esbuild heads each file's code with `// src/…`; a legal comment survives the second pass in place.
	writeFileSync(join(work, 'entry.js'), whole.outputFiles[0].text.replaceAll(marker, '/*! @file $1 */'));
	const shaken = await build({
		stdin: {contents: `export {${names}} from './entry.js';`, resolveDir: work, loader: 'js'},
		bundle: true,
		minifySyntax: true,
		format: 'esm',
		platform: 'browser',
		target: 'es2022',
		external,
		legalComments: 'inline',
		write: false,
		logLevel: 'error',
	});
	// The trailing `export {…}` names bindings of other parts: measure each part without it.
	const text = shaken.outputFiles[0].text.replace(/export\s*\{[^}]*\};?\s*$/, '');
	const minified = transformSync(shaken.outputFiles[0].text, {minify: true, format: 'esm', loader: 'js', legalComments: 'none'}).code;
	console.log(`import {${names}} (${development ? 'development' : 'production'}): ${minified.length} B minified, ${(gzipSync(minified, {level: 9}).byteLength / 1024).toFixed(2)} KB min+gzip`);
	const parts = text.split(/\/\*! @file (src\/\S+) \*\//);
	const bytes = new Map();
	for (let index = 1; index < parts.length; index += 2) {
		const code = transformSync(parts[index + 1], {minifyWhitespace: true, minifySyntax: true, loader: 'js', legalComments: 'none'}).code;
		bytes.set(parts[index], (bytes.get(parts[index]) ?? 0) + code.length);
	}
	const total = [...bytes.values()].reduce((sum, size) => sum + size, 0);
	for (const [file, size] of [...bytes].sort((a, b) => b[1] - a[1])) {
		console.log(`${String(size).padStart(7)}  ${(100 * size / total).toFixed(1).padStart(5)} %  ${file}`);
	}
} finally {
	rmSync(work, {recursive: true, force: true});
}
