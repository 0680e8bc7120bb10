import {defineConfig} from 'vitest/config';
import {playwright} from '@vitest/browser-playwright';
import {svelte} from '@sveltejs/vite-plugin-svelte';

const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic',
];

/**
 * Headless Debian Chromium through Playwright (no browser download), made anew for each browser project: vitest
 * names the instances of the object it is given, so two projects cannot share one.
 */
const chromium = () => ({
	enabled: true,
	headless: true,
	provider: playwright({launchOptions: {executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs}}),
	instances: [{browser: 'chromium' as const}],
});

export default defineConfig({
	test: {
		projects: [
			{
				test: {
					name: 'node',
					include: ['test/**/*.test.ts'],
					exclude: ['test/browser/**', 'test/bindings/**'],
					environment: 'node',
					typecheck: {enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: 'test/tsconfig.json'},
				},
			},
			{
				// Svelte components in the binding tests are compiled by Svelte's own Vite plugin.
				plugins: [svelte()],
				// Pre-bundled up front: discovered at run time, Vite reloads and loads React twice (a failed first run).
				optimizeDeps: {include: ['react', 'react-dom', 'react-dom/client', 'react-dom/server', 'vue', 'vue/server-renderer', 'svelte', 'svelte/store', 'svelte/server', 'svelte/compiler', 'svelte/internal/server', 'oauth4webapi', 'jose']},
				test: {
					name: 'browser',
					// The browser-only suite, the framework bindings with the real frameworks, plus the
					// environment-neutral session suite run again in Chromium.
					include: ['test/browser/**/*.test.ts', 'test/bindings/**/*.test.{ts,tsx}', 'test/session/expiry.test.ts'],
					globalSetup: ['test/browser/global-setup.ts'],
					browser: chromium(),
				},
			},
			{
				// The browser production build's code paths (dist/production/: short messages, the first redirect hop
				// only, no re-walk), in Chromium: the same sources with the defines of tsup.config.ts's second build.
				define: {__KY_AUTH_DEV__: 'false', __KY_AUTH_BROWSER_PRODUCTION__: 'true', __KY_AUTH_VERSION__: '"0.0.0-test"'},
				test: {
					name: 'browser-production',
					include: ['test/browser/redirects.test.ts', 'test/browser/client.test.ts'],
					globalSetup: ['test/browser/global-setup.ts'],
					browser: chromium(),
				},
			},
		],
	},
});
