import type {TokenStore} from '../types/store.js';
import type {RefreshFunction} from '../types/tokens.js';

/** A session's options after `createAuthSession` validated them and applied the defaults. */
export interface SessionSettings {
	store: TokenStore;
	refresh: RefreshFunction | undefined;
	refreshWindow: number;
	refreshTimeout: number;
	now: () => number;
}
