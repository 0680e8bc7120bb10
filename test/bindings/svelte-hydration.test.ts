// Server rendering then hydration with ky-auth/svelte: the component is compiled for the server here in the page
// (svelte/compiler), rendered with svelte/server's render, its HTML put in the document and hydrated by Svelte 5's
// hydrate() over a browser session, as SvelteKit does. In this page svelte resolves to its client build; svelte/server
// and the server-compiled component run here all the same (the optimizeDeps of vitest.config.ts should list them).
import {flushSync, hydrate, mount, unmount, type Component} from 'svelte';
import type * as SvelteModule from 'svelte';
import {compile} from 'svelte/compiler';
import * as serverInternals from 'svelte/internal/server';
import {render} from 'svelte/server';
import {describe, expect, it, onTestFinished, vi} from 'vitest';
import {createAuthSession, memoryStore, webStorageStore, type AuthSession} from '../../src/index.js';
import * as binding from '../../src/svelte/index.js';
import Account from './svelte-hydration.svelte';
import accountSource from './svelte-hydration.svelte?raw';
import {captureWarnings, disposedAfterEach} from './hydration-support.js';

/** Svelte's server build: `onMount` does nothing there. In this page the client build is loaded, so while a server render runs, it is made to do the same. */
const server = vi.hoisted(() => ({rendering: false}));
vi.mock('svelte', async original => {
	const svelte = await original<typeof SvelteModule>();
	return {
		...svelte,
		onMount: (fn: Parameters<typeof svelte.onMount>[0]) => {
			if (!server.rendering) svelte.onMount(fn);
		},
	};
});

type ServerComponent = Component<{source: binding.AuthSnapshotSource}>;

/** The component compiled for the server, its imports taken from the modules this page already loaded. */
function serverComponent(): ServerComponent {
	const {js} = compile(accountSource, {generate: 'server', filename: 'svelte-hydration.svelte'});
	const modules: Record<string, unknown> = {'svelte/internal/server': serverInternals, '../../src/svelte/index.js': binding};
	const code = js.code
		.replaceAll(/^import \* as ([\w$]+) from '([^']+)';$/gm, (_, name: string, from: string) => `const ${name} = modules[${JSON.stringify(from)}];`)
		.replaceAll(/^import \{([^}]*)\} from '([^']+)';$/gm, (_, names: string, from: string) => `const {${names.replaceAll(' as ', ': ')}} = modules[${JSON.stringify(from)}];`)
		.replace(/^export default function/m, 'return function');
	if (/^\s*(import|export)\b/m.test(code)) throw new Error(`unexpected module syntax in:\n${code}`);
	// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the test's own compiled component
	return new Function('modules', code)(modules) as ServerComponent;
}

function serverRender(source: binding.AuthSnapshotSource): string {
	server.rendering = true;
	try {
		return render(serverComponent(), {props: {source}}).body;
	} finally {
		server.rendering = false;
	}
}

const keep = disposedAfterEach();

/** The markup inside the component's root element, without Svelte's hydration comments. */
function markup(container: Element): string {
	return container.innerHTML.replaceAll(/<!--[^>]*-->/g, '').replaceAll(/\s+</g, '<').replaceAll(/>\s+/g, '>');
}

async function serverThenHydrate(serverSession: AuthSession, browserSession: AuthSession) {
	const html = serverRender(serverSession);
	const container = document.createElement('div');
	container.innerHTML = html;
	document.body.append(container);
	const serverNode = container.querySelector('div');
	const serverBranch = serverNode?.firstElementChild;
	const warnings = captureWarnings();
	const app = hydrate(Account, {target: container, props: {source: browserSession}});
	onTestFinished(async () => {
		await unmount(app);
		container.remove();
	});
	// What hydration itself rendered, before onMount runs. Svelte repairs a mismatched {#if} branch without a
	// warning (it drops the server's nodes and renders its own), so the branch's element is compared too.
	const hydrated = markup(container);
	expect(container.querySelector('div')?.firstElementChild, 'hydration kept the server\'s {#if} branch').toBe(serverBranch);
	flushSync();
	flushSync();
	return {html, hydrated, container, serverNode, warnings};
}

const placeholder = '<div data-status="signedOut" data-ready="false"><span aria-busy="true">…</span></div>';

describe('ky-auth/svelte: server rendering then hydration', () => {
	it('the server renders the constant server snapshot, whatever its session holds', () => {
		const signedInServer = keep(createAuthSession({store: memoryStore({accessToken: 'a0', refreshToken: 'r0', expiresIn: 600})}));
		expect(signedInServer.getSnapshot()).toMatchObject({status: 'signedIn', ready: true});
		const container = document.createElement('div');
		container.innerHTML = serverRender(signedInServer);
		expect(markup(container)).toBe(placeholder);
		expect(binding.serverSnapshot).toEqual({status: 'signedOut', expiresAt: null, ready: false, error: null});
		expect(Object.isFrozen(binding.serverSnapshot)).toBe(true);
	});

	it('signed in (a memory store holding tokens): no hydration warning, the placeholder until mounted, never "Sign in", then "Sign out"', async () => {
		const serverSession = keep(createAuthSession({store: memoryStore()}));
		const browserSession = keep(createAuthSession({store: memoryStore({accessToken: 'a0', refreshToken: 'r0', expiresIn: 600})}));
		expect(browserSession.getSnapshot()).toMatchObject({status: 'signedIn', ready: true});
		const {hydrated, container, serverNode, warnings} = await serverThenHydrate(serverSession, browserSession);
		expect(hydrated).toBe(placeholder);
		expect(warnings).toEqual([]);
		// Hydration adopted the server's element, then Svelte updated it with the browser session's state.
		expect(container.querySelector('div')).toBe(serverNode);
		expect(markup(container)).toBe('<div data-status="signedIn" data-ready="true"><button type="button">Sign out</button></div>');
	});

	it('signed in (webStorageStore holding the record): no hydration warning, then "Sign out"', async () => {
		const key = `ky-auth.svelte-hydration.${crypto.randomUUID()}`;
		const seed = keep(createAuthSession({store: webStorageStore({key})}));
		await seed.signIn({accessToken: 'a0', refreshToken: 'r0', expiresIn: 600});
		onTestFinished(() => localStorage.removeItem(key));
		const serverSession = keep(createAuthSession({store: memoryStore()}));
		const browserSession = keep(createAuthSession({store: webStorageStore({key})}));
		expect(browserSession.getSnapshot()).toMatchObject({status: 'signedIn', ready: true});
		const {hydrated, container, serverNode, warnings} = await serverThenHydrate(serverSession, browserSession);
		expect(hydrated).toBe(placeholder);
		expect(warnings).toEqual([]);
		expect(container.querySelector('div')).toBe(serverNode);
		expect(container.textContent?.trim()).toBe('Sign out');
	});

	it('signed out: no hydration warning, the placeholder, then "Sign in"; then it follows the session', async () => {
		const serverSession = keep(createAuthSession({store: memoryStore()}));
		const browserSession = keep(createAuthSession({store: memoryStore()}));
		const {hydrated, container, serverNode, warnings} = await serverThenHydrate(serverSession, browserSession);
		expect(hydrated).toBe(placeholder);
		expect(warnings).toEqual([]);
		expect(container.querySelector('div')).toBe(serverNode);
		expect(markup(container)).toBe('<div data-status="signedOut" data-ready="true"><a href="/login">Sign in</a></div>');
		await browserSession.signIn({accessToken: 'a1', refreshToken: 'r1', expiresIn: 600});
		flushSync();
		expect(container.textContent?.trim()).toBe('Sign out');
	});

	it('a store made outside a component follows the session at once', () => {
		const browserSession = keep(createAuthSession({store: memoryStore({accessToken: 'a0', refreshToken: 'r0', expiresIn: 600})}));
		let seen: unknown;
		binding.readableAuth(browserSession).subscribe(snapshot => (seen = snapshot))();
		expect(seen).toBe(browserSession.getSnapshot());
	});

	it('mounted without hydration: signed in once mounted', async () => {
		const browserSession = keep(createAuthSession({store: memoryStore({accessToken: 'a0', refreshToken: 'r0', expiresIn: 600})}));
		const container = document.createElement('div');
		document.body.append(container);
		const app = mount(Account, {target: container, props: {source: browserSession}});
		onTestFinished(async () => {
			await unmount(app);
			container.remove();
		});
		flushSync();
		flushSync();
		expect(container.textContent?.trim()).toBe('Sign out');
	});
});
