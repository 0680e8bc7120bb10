import {readFileSync} from 'node:fs';
import {defineConfig, type Options} from 'tsup';

const {version} = JSON.parse(readFileSync('package.json', 'utf8')) as {version: string};

const shared: Options = {
	// The root entry stays small and dependency-light; each optional peer lives behind its own subpath.
	entry: {
		index: 'src/index.ts',
		oauth: 'src/oauth/index.ts',
		redis: 'src/redis/index.ts',
		react: 'src/react/index.ts',
		vue: 'src/vue/index.ts',
		svelte: 'src/svelte/index.ts',
		dpop: 'src/schemes/dpop/index.ts',
	},
	// ESM only: a tsup CJS build breaks on ESM-only dependencies imported by default (esbuild#3852);
	// CommonJS users on Node >= 22.12 require() the ESM build.
	format: ['esm'],
	// The library runs in browsers and Node alike, so no Node built-in may be assumed.
	platform: 'neutral',
	// ES2022 is what both Node 22+ and current browsers run natively (private fields, top-level await).
	target: ['es2022', 'node22'],
	// Runtime dependencies stay imports (tsup externalises `dependencies` already; listed to make it explicit).
	external: ['ky', 'p-queue', 'jwt-decode', 'oauth4webapi', 'jose', 'ioredis', 'redis', 'react', 'vue', 'svelte', /^svelte\//],
	// Code shared by the entries (errors, record helpers) goes to a shared chunk instead of being copied.
	splitting: true,
	treeshake: true,
};

export default defineConfig([
	{
		// dist/: Node, development builds and anything without the browser + production conditions. Full messages.
		...shared,
		dts: true,
		clean: true,
		// Maps for stack traces (file, line), without a second copy of the sources inside them.
		sourcemap: true,
		// Folds the build-time constants (`browserProduction` is `false` here), so what only the production build
		// uses (the lean redaction) is dropped from this one, as `dev`-only code is from that one.
		minifySyntax: true,
		esbuildOptions(options) {
			options.sourcesContent = false;
		},
		define: {__KY_AUTH_DEV__: 'true', __KY_AUTH_BROWSER_PRODUCTION__: 'false', __KY_AUTH_VERSION__: JSON.stringify(version)},
	},
	{
		// dist/production/: browser production builds (package.json "exports": browser + production). Every text
		// behind `dev` is gone; a message is its code and a link to docs/errors.md. Same code, types and fields.
		...shared,
		outDir: 'dist/production',
		dts: false,
		clean: false,
		sourcemap: false,
		minifySyntax: true,
		define: {__KY_AUTH_DEV__: 'false', __KY_AUTH_BROWSER_PRODUCTION__: 'true', __KY_AUTH_VERSION__: JSON.stringify(version)},
	},
]);
