import {createAuthClient, createAuthSession, memoryStore, type AuthSession, type TokenStore} from '../../src/index.js';
import {flush} from '../helpers/deferred.js';
import {api, outcome, track, type AuthServer, type Hold, type Tracked} from './auth-server.js';

/** Two sessions on one memoryStore, signed in as A by the first; the second follows (its token equals the first's). */
export async function twoHolders(server: AuthServer): Promise<{store: TokenStore; first: AuthSession; second: AuthSession}> {
	const store = memoryStore();
	const first = createAuthSession({store, refresh: server.refresh});
	await first.signIn(server.signIn('A'));
	const second = createAuthSession({store, refresh: server.refresh});
	return {store, first, second};
}

/**
 * Revokes the access tokens and sends three requests as A through `session`: they get a 401 and wait for the
 * one refresh, whose token request the server holds. Resolves once that request arrived.
 */
export async function waitingForHeldRefresh(server: AuthServer, session: AuthSession): Promise<{held: Hold; requests: Array<Tracked<string>>}> {
	server.revokeAccess();
	const held = server.hold();
	const client = createAuthClient(session, {baseUrl: api, headers: {'x-as-user': 'A'}});
	const requests = ['a', 'b', 'c'].map(path => track(outcome(client.get(`api/${path}`).json())));
	await held.arrived(1);
	await flush();
	return {held, requests};
}

/** After the interruption: how many requests had ended before the held refresh is released, then every outcome. */
export async function releaseAndSettle(held: Hold, requests: Array<Tracked<string>>): Promise<{endedAtOnce: number; outcomes: string[]}> {
	await flush();
	const endedAtOnce = requests.filter(request => request.settled).length;
	held.release();
	const outcomes = await Promise.all(requests.map(async request => request.promise));
	await flush();
	return {endedAtOnce, outcomes};
}
