import {dev} from '../utils/dev.js';
import type {KyInstance} from 'ky';
import {useEffect, useRef} from 'react';
import {credentialsOf} from '../http/credentials-of.js';
import type {AuthClientOptions} from '../types/client.js';
import type {AuthSession} from '../types/session.js';
import {invalid, isRecord} from '../utils/validate.js';
import {clientFor} from './client-cache.js';
import {sameOptions} from './same-options.js';

const where = 'useAuthClient';

/** What a component last committed: the client and what it was made from. */
interface CommittedClient {
	readonly session: AuthSession;
	readonly options: AuthClientOptions | undefined;
	readonly client: KyInstance;
}

/**
 * The ky client of `session` for a component: `createAuthClient(session, options)`, with a stable identity,
 * so it can go in effect and memo dependencies without re-running them. It reads the token per request
 * (waiting for a refresh when needed): components hold the client, never a token, so no closure ever sends
 * a stale one.
 *
 * Identity: one client per session and options object, shared by every component that passes the same
 * pair (a module constant, or no options at all). Options written inline keep the client too, as long as
 * they are the same data: plain objects and arrays compare by content (`{ prefix: '/api', retry: { limit: 2 } }`
 * is fine inline); functions and other objects (hooks, `fetch`, `Headers`, a signal) compare by identity, so
 * options holding them must be stable: a module constant, or `useMemo`. A new session or different options
 * make a new client. For code outside components, `createAuthClient` at module level is the same thing.
 *
 * @param session - A session from `createAuthSession` (or `createMachineSession`).
 * @param options - `createAuthClient`'s options: ky's options plus `allowedOrigins`, `authScheme` and `fetch`.
 * @throws {TypeError} When `session` is not a session, `options` is given and not an object, or an option is invalid (as `createAuthClient` checks).
 * @example
 * ```tsx
 * function Profile() {
 *   const api = useAuthClient(session, { prefix: '/api' });
 *   const [name, setName] = useState<string>();
 *   useEffect(() => {
 *     const controller = new AbortController();
 *     api.get('me', { signal: controller.signal }).json<{ name: string }>().then(me => setName(me.name), () => {});
 *     return () => controller.abort();
 *   }, [api]);
 *   return <p>{name}</p>;
 * }
 * ```
 */
export function useAuthClient(session: AuthSession, options?: AuthClientOptions): KyInstance {
	credentialsOf(`${where}: session`, session);
	if (options !== undefined && !isRecord(options)) {
		invalid(`${where}: options`, dev ? 'an object of createAuthClient options' : '', options);
	}
	// Read during render, written after commit (the pattern of React's own useSyncExternalStoreWithSelector):
	// a render React throws away never changes what the next render compares with.
	const committed = useRef<CommittedClient | null>(null);
	const last = committed.current;
	const current: CommittedClient = last !== null && last.session === session && sameOptions(last.options, options)
		? last
		: {session, options, client: clientFor(session, options)};
	useEffect(() => {
		committed.current = current;
	}, [current]);
	return current.client;
}
