import type {KyInstance} from 'ky';
import {createAuthClient} from '../http/create-client.js';
import type {AuthClientOptions} from '../types/client.js';
import type {AuthSession} from '../types/session.js';

/** The cache key of a client made without options. */
const noOptions: AuthClientOptions = Object.freeze({});

/** One client per session and options object; both keys are weak, so neither is kept alive by the cache. */
const clients = new WeakMap<AuthSession, WeakMap<AuthClientOptions, KyInstance>>();

/**
 * The client of `session` made with this very `options` object (`createAuthClient(session, options)`),
 * created on first use: every caller with the same session and options object gets the same instance.
 *
 * @throws {TypeError} As `createAuthClient` does, for an invalid session or option.
 */
export function clientFor(session: AuthSession, options: AuthClientOptions | undefined): KyInstance {
	const key = options ?? noOptions;
	let bySession = clients.get(session);
	let client = bySession?.get(key);
	if (client === undefined) {
		client = createAuthClient(session, key);
		if (bySession === undefined) {
			bySession = new WeakMap();
			clients.set(session, bySession);
		}
		bySession.set(key, client);
	}
	return client;
}
