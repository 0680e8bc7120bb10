import {defineConfig} from 'vitest/config';
import {playwright} from '@vitest/browser-playwright';

const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic',
];

export default defineConfig({
	test: {
		projects: [
			{
				test: {
					name: 'node',
					include: ['test/**/*.test.ts'],
					exclude: ['test/browser/**'],
					environment: 'node',
					typecheck: {enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: 'test/tsconfig.json'},
				},
			},
			{
				test: {
					name: 'browser',
					// The browser-only suite, plus the environment-neutral session suite run again in Chromium.
					include: ['test/browser/**/*.test.ts', 'test/session/expiry.test.ts'],
					globalSetup: ['test/browser/global-setup.ts'],
					browser: {
						enabled: true,
						headless: true,
						provider: playwright({launchOptions: {executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs}}),
						instances: [{browser: 'chromium'}],
					},
				},
			},
		],
	},
});
