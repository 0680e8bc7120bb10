// How much ky-auth adds to a fresh Vite React app's production bundle, as the README sets it up (issue 17).
// Builds the same small React app four times with Vite (production, the browser + production conditions as Vite
// applies them): without ky-auth, with ky alone, with the README's quick start (createAuthSession,
// indexedDbStore, refreshTokenGrant from ky-auth/oauth, createAuthClient) and its React recipe (useAuth,
// signInState), and with the same using a hand-written refresh (no ky-auth/oauth). Prints the gzip -9 size of
// the emitted JavaScript and each variant's growth over the app without ky-auth. ky-auth is used from this
// repository's dist/ (run `npm run build` first) through a node_modules link, as a user's install would be.
// usage: npm run build && node scripts/vite-app-size.mjs      (figures in docs/benchmarks.md, "Bundle size")
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {gzipSync} from 'node:zlib';
import {build} from 'vite';

const app = `
import { createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';
%IMPORTS%
function App() {
  const [count, setCount] = useState(0);
  %HOOKS%
  return h('main', null, h('h1', null, 'Vite + React'), h('button', { onClick: () => setCount(c => c + 1) }, 'count is ' + count), %VIEW%);
}
createRoot(document.getElementById('root')).render(h(App));
`;

const variants = {
	'the app without ky-auth': {imports: '', hooks: '', view: 'null'},
	'with ky alone': {
		imports: "import ky from 'ky';\nconst api = ky.create({ prefix: 'https://api.example.com/' });",
		hooks: '',
		view: "h('button', { onClick: () => void api.get('me').json() }, 'load')",
	},
	'with ky-auth: README quick start (ky-auth/oauth) + React recipe': {
		imports: `import { createAuthSession, createAuthClient, indexedDbStore, memoryStore } from 'ky-auth';
import { none, refreshTokenGrant } from 'ky-auth/oauth';
import { signInState, useAuth } from 'ky-auth/react';
const session = createAuthSession({
  store: typeof window === 'undefined' ? memoryStore() : indexedDbStore({ key: 'app.auth' }),
  refresh: refreshTokenGrant({ tokenEndpoint: 'https://auth.example.com/oauth/token', clientId: 'my-spa', clientAuthentication: none() }),
});
const api = createAuthClient(session, { baseUrl: 'https://api.example.com/' });`,
		hooks: 'const state = useAuth(session, signInState);',
		view: "state === 'signedIn' ? h('button', { onClick: () => void api.get('me').json() }, 'load') : h('a', { href: '/login' }, 'Sign in')",
	},
	'with ky-auth: hand-written refresh, memoryStore + React recipe': {
		imports: `import { createAuthSession, createAuthClient } from 'ky-auth';
import { signInState, useAuth } from 'ky-auth/react';
const session = createAuthSession({
  refresh: async ({ tokens }) => {
    const response = await fetch('https://auth.example.com/oauth/token', { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens?.refreshToken ?? '' }) });
    const answer = await response.json();
    return { accessToken: answer.access_token, refreshToken: answer.refresh_token, expiresIn: answer.expires_in };
  },
});
const api = createAuthClient(session, { baseUrl: 'https://api.example.com/' });`,
		hooks: 'const state = useAuth(session, signInState);',
		view: "state === 'signedIn' ? h('button', { onClick: () => void api.get('me').json() }, 'load') : h('a', { href: '/login' }, 'Sign in')",
	},
};

function jsBytes(dir) {
	let min = 0;
	let gzip = 0;
	let messages = '';
	for (const name of readdirSync(dir, {recursive: true})) {
		if (String(name).endsWith('.js')) {
			const code = readFileSync(join(dir, String(name)));
			min += code.byteLength;
			gzip += gzipSync(code, {level: 9}).byteLength;
			// Which build of ky-auth Vite picked: the full messages (dist/) or the short ones (dist/production/).
			const text = code.toString();
			messages ||= text.includes('The token refresh failed') ? 'full messages' : (text.includes('docs/errors.md') ? 'short messages' : '');
		}
	}
	return {min, gzip, messages};
}

const work = mkdtempSync(join(tmpdir(), 'ky-auth-vite-app-'));
try {
	mkdirSync(join(work, 'node_modules'));
	symlinkSync(resolve('.'), join(work, 'node_modules', 'ky-auth'), 'dir');
	for (const dependency of ['ky', 'p-queue', 'jwt-decode', 'oauth4webapi', 'react', 'react-dom', 'scheduler']) {
		symlinkSync(resolve('node_modules', dependency), join(work, 'node_modules', dependency), 'dir');
	}
	const rows = [];
	for (const [name, variant] of Object.entries(variants)) {
		const root = join(work, `app-${rows.length}`);
		mkdirSync(root);
		writeFileSync(join(root, 'index.html'), '<!doctype html><html><body><div id="root"></div><script type="module" src="/main.js"></script></body></html>');
		writeFileSync(join(root, 'main.js'), app.replace('%IMPORTS%', variant.imports).replace('%HOOKS%', variant.hooks).replace('%VIEW%', variant.view));
		await build({root, logLevel: 'error', configFile: false, mode: 'production', resolve: {preserveSymlinks: false}, build: {outDir: join(root, 'dist'), emptyOutDir: true}});
		rows.push({name, ...jsBytes(join(root, 'dist'))});
	}
	const base = rows[0].gzip;
	const kb = bytes => `${(bytes / 1024).toFixed(1)} KB`;
	console.log('Vite production build of a small React app (JavaScript emitted, gzip -9); growth over the app without ky-auth');
	for (const row of rows) {
		console.log(`${row.name.padEnd(66)} ${kb(row.gzip).padStart(9)}  ${(row.gzip === base ? '' : `+${kb(row.gzip - base)}`).padEnd(9)} ${row.messages}`);
	}
} finally {
	rmSync(work, {recursive: true, force: true});
}
