import {act} from 'react';
import {hydrateRoot} from 'react-dom/client';
import {renderToString} from 'react-dom/server';
import {describe, expect, it, onTestFinished, vi} from 'vitest';
import {createAuthSession, memoryStore, type AuthSession} from '../../../src/index.js';
import {signInState, useAuth} from '../../../src/react/index.js';
import {actEnvironment, h} from './harness.js';

const labels = {unknown: '…', signedIn: 'Signed in', signedOut: 'Sign in'} as const;

/** Shows what `useAuth` says, both through a selector and through the whole snapshot. */
function Account({session}: {session: AuthSession}) {
	const state = useAuth(session, signInState);
	const {status, ready} = useAuth(session);
	return h('p', {'data-status': status, 'data-ready': String(ready)}, labels[state]);
}

describe('server rendering then hydration', () => {
	it('renderToString on a server session, hydrateRoot on a browser session holding tokens: no mismatch, then signed in', async () => {
		// The server holds no user's tokens; the browser's store already has them when hydration starts.
		const serverSession = createAuthSession({store: memoryStore()});
		const browserSession = createAuthSession({store: memoryStore({accessToken: 'a0', refreshToken: 'r0', expiresIn: 600})});
		onTestFinished(() => {
			serverSession.dispose();
			browserSession.dispose();
		});
		expect(serverSession.getSnapshot()).toMatchObject({status: 'signedOut', ready: true});
		expect(browserSession.getSnapshot()).toMatchObject({status: 'signedIn', ready: true});

		const html = renderToString(h(Account, {session: serverSession}));
		expect(html).toBe('<p data-status="signedOut" data-ready="false">…</p>');

		const container = document.createElement('div');
		container.innerHTML = html;
		document.body.append(container);
		const consoleError = vi.spyOn(console, 'error');
		const recoverable: unknown[] = [];
		actEnvironment(true);
		let root: ReturnType<typeof hydrateRoot> | undefined;
		await act(async () => {
			root = hydrateRoot(container, h(Account, {session: browserSession}), {
				onRecoverableError: error => recoverable.push(error),
			});
		});
		onTestFinished(async () => {
			await act(async () => root?.unmount());
			container.remove();
		});
		expect(recoverable).toEqual([]);
		expect(consoleError).not.toHaveBeenCalled();
		consoleError.mockRestore();
		// Hydration adopted the server's node, and React re-rendered it with the browser session's snapshot.
		const paragraph = container.querySelector('p');
		expect(paragraph?.textContent).toBe('Signed in');
		expect(paragraph?.dataset).toMatchObject({status: 'signedIn', ready: 'true'});
		expect(container.children).toHaveLength(1);
	});
});
