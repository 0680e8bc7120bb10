import type {AutoRefresh} from '../types/auto-refresh.js';
import type {TokenStore} from '../types/store.js';
import type {RefreshFunction, TokenSet} from '../types/tokens.js';
import type {Backoff} from './backoff.js';

/** A session's options after `createAuthSession` validated them and applied the defaults. */
export interface SessionSettings {
	store: TokenStore;
	refresh: RefreshFunction | undefined;
	refreshWindow: number;
	refreshTimeout: number;
	now: () => number;
	/** Renew in the refresh window without waiting for a request (see AuthSessionOptions.autoRefresh). */
	autoRefresh: AutoRefresh | undefined;
	/** Given the tokens `signOut()` forgot (see AuthSessionOptions.onSignOut). */
	onSignOut: ((tokens: TokenSet) => unknown) | undefined;
	/**
	 * Set for a machine session (`createMachineSession`): it obtains a token whenever it holds none and a
	 * request needs one, never ends (`SESSION_ENDED`), and backs off between failed attempts.
	 */
	machine?: Backoff;
}
