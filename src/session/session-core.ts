import type {SessionEvents} from './session-events.js';
import type {SessionSettings} from './settings.js';
import type {RefreshScope} from './refresh/refresh-scope.js';
import type {RefreshSingleFlight} from './refresh/single-flight.js';
import type {TokenStoreAccess} from './store/store-access.js';
import type {TokenState} from './tokens/token-state.js';
import type {LifetimeSignal} from '../utils/lifetime.js';

/**
 * The one interface between a {@link Session} (auth-session.ts) and the machinery it drives: the credentials
 * gate, a refresh (session-refresh.ts → locked-refresh.ts → plan.ts, commit.ts) and following the store
 * (follow-store.ts). The session makes one object of this shape; each part names the members it uses with a
 * `Pick` of it, so what a part may touch is written where the part is.
 */
export interface SessionCore {
	/** What the session holds now: the record, its parsed tokens, the epoch and the last refresh error. */
	readonly tokens: TokenState;
	/** The session's options, validated. */
	readonly settings: SessionSettings;
	/** The store, as the session reads, follows and writes it (compare-and-set, writes in flight). */
	readonly store: TokenStoreAccess;
	/** `signedin`, `signedout`, `refresh`, `refresherror`, `storeerror`. */
	readonly events: SessionEvents;
	/** The one refresh in flight, shared by every caller. */
	readonly refreshes: RefreshSingleFlight;
	/** Whether code runs inside the session's own refresh (its requests go out as they are). */
	readonly scope: RefreshScope;
	/** The clock (`settings.now`). */
	now(): number;
	/** Publishes the snapshot (and reschedules the auto-refresh) after a change. */
	publish(): void;
	/** Starts a new epoch: forgets the refresh in flight, whose waiters end. */
	restart(): void;
	/**
	 * A signal made for the caller (one refresh), aborted when the sign-in changes (a new epoch): stops the wait for
	 * the lock and anything before the spend. Released by the caller once its refresh ended.
	 */
	lifetime(): LifetimeSignal;
	/** Whether `dispose()` was called. */
	disposed(): boolean;
}
