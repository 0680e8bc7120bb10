// Server rendering then hydration with ky-auth/vue: the server's HTML (vue/server-renderer, run here in the page)
// is put in the document and hydrated by createSSRApp over a browser session, as Nuxt and Vite SSR do.
import {describe, expect, it, onTestFinished} from 'vitest';
import {createApp, createSSRApp, defineComponent, h, nextTick, type PropType} from 'vue';
import {renderToString} from 'vue/server-renderer';
import {createAuthSession, memoryStore, webStorageStore, type AuthSession} from '../../src/index.js';
import {serverSnapshot, useAuth, type AuthSnapshotSource} from '../../src/vue/index.js';
import {captureWarnings, disposedAfterEach} from './hydration-support.js';

/** The account menu of the recipes: a placeholder until the state is known, then a sign-in link or a sign-out button. */
const Account = defineComponent({
	props: {source: {type: Object as PropType<AuthSnapshotSource>, required: true}},
	setup(props) {
		const {ready, signedIn, status} = useAuth(props.source);
		return () =>
			h('div', {'data-status': status.value, 'data-ready': String(ready.value)}, [
				!ready.value ? h('span', {'aria-busy': 'true'}, '…') : signedIn.value ? h('button', {type: 'button'}, 'Sign out') : h('a', {href: '/login'}, 'Sign in'),
			]);
	},
});

const keep = disposedAfterEach();

/** Renders `Account` on the server session, puts the HTML in the page, and hydrates it over the browser session. */
async function serverThenHydrate(serverSession: AuthSession, browserSession: AuthSession) {
	const html = await renderToString(createSSRApp(Account, {source: serverSession}));
	const container = document.createElement('div');
	container.innerHTML = html;
	document.body.append(container);
	const serverNode = container.firstElementChild;
	const warnings = captureWarnings();
	const app = createSSRApp(Account, {source: browserSession});
	app.config.warnHandler = message => warnings.push(`[Vue warn] ${message}`);
	app.mount(container);
	onTestFinished(() => {
		app.unmount();
		container.remove();
	});
	// What hydration itself rendered, before the mounted hooks' changes are flushed.
	const hydrated = container.innerHTML;
	await nextTick();
	await nextTick();
	return {html, hydrated, container, serverNode, warnings};
}

const placeholder = '<div data-status="signedOut" data-ready="false"><span aria-busy="true">…</span></div>';

describe('ky-auth/vue: server rendering then hydration', () => {
	it('the server renders the constant server snapshot, whatever its session holds, and leaves no listener', async () => {
		const signedInServer = keep(createAuthSession({store: memoryStore({accessToken: 'a0', refreshToken: 'r0', expiresIn: 600})}));
		expect(signedInServer.getSnapshot()).toMatchObject({status: 'signedIn', ready: true});
		expect(await renderToString(createSSRApp(Account, {source: signedInServer}))).toBe(placeholder);
		expect(serverSnapshot).toEqual({status: 'signedOut', expiresAt: null, ready: false, error: null});
		expect(Object.isFrozen(serverSnapshot)).toBe(true);
	});

	it('signed in (a memory store holding tokens): no hydration warning, the placeholder until mounted, never "Sign in", then "Sign out"', async () => {
		const serverSession = keep(createAuthSession({store: memoryStore()}));
		const browserSession = keep(createAuthSession({store: memoryStore({accessToken: 'a0', refreshToken: 'r0', expiresIn: 600})}));
		expect(browserSession.getSnapshot()).toMatchObject({status: 'signedIn', ready: true});
		const {html, hydrated, container, serverNode, warnings} = await serverThenHydrate(serverSession, browserSession);
		expect(html).toBe(placeholder);
		expect(hydrated).toBe(placeholder);
		expect(warnings).toEqual([]);
		// Hydration adopted the server's node, then Vue re-rendered it with the browser session's state.
		expect(container.firstElementChild).toBe(serverNode);
		expect(container.innerHTML).toBe('<div data-status="signedIn" data-ready="true"><button type="button">Sign out</button></div>');
		expect(container.textContent).not.toContain('Sign in');
	});

	it('signed in (webStorageStore holding the record): no hydration warning, then "Sign out"', async () => {
		const key = `ky-auth.vue-hydration.${crypto.randomUUID()}`;
		const seed = keep(createAuthSession({store: webStorageStore({key})}));
		await seed.signIn({accessToken: 'a0', refreshToken: 'r0', expiresIn: 600});
		onTestFinished(() => localStorage.removeItem(key));
		const serverSession = keep(createAuthSession({store: memoryStore()}));
		const browserSession = keep(createAuthSession({store: webStorageStore({key})}));
		expect(browserSession.getSnapshot()).toMatchObject({status: 'signedIn', ready: true});
		const {hydrated, container, serverNode, warnings} = await serverThenHydrate(serverSession, browserSession);
		expect(hydrated).toBe(placeholder);
		expect(warnings).toEqual([]);
		expect(container.firstElementChild).toBe(serverNode);
		expect(container.textContent).toBe('Sign out');
	});

	it('signed out: no hydration warning, the placeholder, then "Sign in"', async () => {
		const serverSession = keep(createAuthSession({store: memoryStore()}));
		const browserSession = keep(createAuthSession({store: memoryStore()}));
		const {hydrated, container, serverNode, warnings} = await serverThenHydrate(serverSession, browserSession);
		expect(hydrated).toBe(placeholder);
		expect(warnings).toEqual([]);
		expect(container.firstElementChild).toBe(serverNode);
		expect(container.innerHTML).toBe('<div data-status="signedOut" data-ready="true"><a href="/login">Sign in</a></div>');
	});

	it('after hydration the component follows the session (sign-out, sign-in)', async () => {
		const serverSession = keep(createAuthSession({store: memoryStore()}));
		const browserSession = keep(createAuthSession({store: memoryStore({accessToken: 'a0', refreshToken: 'r0', expiresIn: 600})}));
		const {container} = await serverThenHydrate(serverSession, browserSession);
		expect(container.textContent).toBe('Sign out');
		await browserSession.signOut();
		await nextTick();
		expect(container.textContent).toBe('Sign in');
		await browserSession.signIn({accessToken: 'a1', refreshToken: 'r1', expiresIn: 600});
		await nextTick();
		expect(container.textContent).toBe('Sign out');
	});

	it('a component mounted in the browser without hydration reads the session at once (no placeholder)', async () => {
		const browserSession = keep(createAuthSession({store: memoryStore({accessToken: 'a0', refreshToken: 'r0', expiresIn: 600})}));
		const container = document.createElement('div');
		document.body.append(container);
		const app = createApp(Account, {source: browserSession});
		app.mount(container);
		onTestFinished(() => {
			app.unmount();
			container.remove();
		});
		// The first render, synchronous in mount(): already signed in.
		expect(container.textContent).toBe('Sign out');
	});
});
