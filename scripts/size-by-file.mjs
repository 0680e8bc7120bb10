// Where an import's bytes come from, per source file, as check-size sees them (issue 17). A single esbuild pass
// over src/ over-counts: constants such as `browserProduction` fold only after bundling, so code the built package
// drops (the deep redaction, the redirect re-walk) still looks present. This builds in two passes, as tsup builds
// the package and a user's bundler then sees it: (1) esbuild bundles the whole root entry with the production
// build's constants, like tsup.config.ts, each file's code headed by a marker call; (2) Rollup tree-shakes the
// import from that, as tsup's `treeshake` does (esbuild alone keeps unused locals, such as the redirect re-walk that
// a folded `browserProduction` leaves unreferenced). Prints the import's min and min+gzip size, then the minified
// bytes of each source file in it (whitespace and syntax minified, names not: a share, not a gzip figure). Rollup is
// tsup's own dependency.
// usage: node scripts/size-by-file.mjs ["createAuthSession, createAuthClient, memoryStore"] [--development]
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {gzipSync} from 'node:zlib';
import {build, transformSync} from 'esbuild';
import {rollup} from 'rollup';

const args = process.argv.slice(2);
const development = args.includes('--development');
const names = args.find(argument => !argument.startsWith('--')) ?? 'createAuthSession, createAuthClient, memoryStore';
const external = ['ky', 'p-queue', 'jwt-decode'];
const marker = /^\/\/ (src\/\S+)$/gm;
/** A call Rollup keeps (it may have effects) wherever it keeps the code after it: each file's start. */
const fileCall = /__kyAuthFile\("(src\/[^"]+)"\);\n?/;

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
	// esbuild heads each file's code with `// src/…`; a call to an unknown function survives tree-shaking in place.
	writeFileSync(join(work, 'entry.js'), whole.outputFiles[0].text.replaceAll(marker, '__kyAuthFile("$1");'));
	const bundle = await rollup({
		input: 'import',
		external,
		treeshake: true,
		onwarn: () => undefined,
		plugins: [{
			name: 'import',
			resolveId: id => (id === 'import' ? id : id === './entry.js' ? join(work, 'entry.js') : null),
			load: id => (id === 'import' ? `export {${names}} from './entry.js';` : null),
		}],
	});
	const {output} = await bundle.generate({format: 'es'});
	await bundle.close();
	// The trailing `export {…}` names bindings of other parts: measure each part without it.
	const text = output[0].code.replace(/export\s*\{[^}]*\};?\s*$/, '');
	const minified = transformSync(output[0].code.replaceAll(new RegExp(fileCall.source, 'g'), ''), {minify: true, format: 'esm', loader: 'js', legalComments: 'none'}).code;
	console.log(`import {${names}} (${development ? 'development' : 'production'}): ${minified.length} B minified, ${(gzipSync(minified, {level: 9}).byteLength / 1024).toFixed(2)} KB min+gzip`);
	const parts = text.split(fileCall);
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
