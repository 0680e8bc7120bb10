import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {type Browser, type BrowserContext, chromium, type Page} from 'playwright';
import type {Harness} from './page.js';
import {TokenServer} from './token-server.js';

declare global {
	interface Window {
		harness: Harness;
	}
}

/** Where Chromium is (CI installs Debian's package there). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the multi-page tests cannot run here, or `undefined` when they can. */
export const chromiumMissing = existsSync(chromiumPath)
	? undefined
	: `no Chromium at ${chromiumPath} (install it, e.g. apt-get install chromium, or set CHROMIUM_PATH)`;

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
	'--disable-sync', '--no-first-run', '--disable-quic'];

/** Bundles test/tabs/page.ts (and the library it imports from src/) for the browser. */
async function bundlePage(): Promise<string> {
	const result = await build({
		entryPoints: [fileURLToPath(new URL('page.ts', import.meta.url))],
		bundle: true,
		format: 'esm',
		platform: 'browser',
		target: 'chrome120',
		write: false,
		logLevel: 'silent',
	});
	return result.outputFiles[0]?.text ?? '';
}

/** A running Chromium and token server: open groups of tabs of one origin with {@link Tabs.open}. */
export interface Tabs {
	server: TokenServer;
	browser: Browser;
	/** Opens `count` pages in ONE new browser context (shared IndexedDB, Web Locks, BroadcastChannel), all ready. */
	open(count: number, query: Record<string, string | number>): Promise<{context: BrowserContext; pages: Page[]}>;
	/** Opens one more page in `context`. */
	add(context: BrowserContext, query: Record<string, string | number>): Promise<Page>;
	/** Uncaught errors each page reported (`pageerror`). */
	errorsOf(page: Page): string[];
	close(): Promise<void>;
}

/** Launches Chromium and starts the server (in this process, so the test drives it directly). */
export async function startTabs(): Promise<Tabs> {
	const script = await bundlePage();
	const server = await new TokenServer({
		html: '<!doctype html><meta charset="utf-8"><title>ky-auth tabs</title><script type="module" src="/page.js"></script>',
		script,
	}).start();
	const browser = await chromium.launch({executablePath: chromiumPath, args: chromiumArgs});
	const errors = new WeakMap<Page, string[]>();
	const add = async (context: BrowserContext, query: Record<string, string | number>): Promise<Page> => {
		const page = await context.newPage();
		const seen: string[] = [];
		errors.set(page, seen);
		page.on('pageerror', error => seen.push(String(error)));
		const search = new URLSearchParams(Object.entries(query).map(([name, value]) => [name, String(value)]));
		// Shorter than the tests' own timeouts, so a page that does not come up says why.
		try {
			await page.goto(`${server.origin}/?${search.toString()}`, {timeout: 10_000});
			await page.waitForFunction(() => window.harness !== undefined, undefined, {timeout: 10_000});
		} catch (error) {
			throw new Error(`the test page did not start (page errors: ${JSON.stringify(seen)})`, {cause: error});
		}
		return page;
	};
	return {
		server,
		browser,
		add,
		errorsOf: page => errors.get(page) ?? [],
		async open(count, query) {
			const context = await browser.newContext();
			const pages: Page[] = [];
			for (let index = 0; index < count; index++) {
				pages.push(await add(context, query));
			}
			return {context, pages};
		},
		async close() {
			await browser.close();
			await server.close();
		},
	};
}
