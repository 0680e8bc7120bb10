import type {TokenRecord} from '../../types/store.js';
import {noop} from '../../utils/timers.js';
import {holdTokens} from '../tokens/held-tokens.js';
import {reconcile} from './reconcile.js';
import type {SessionCore} from '../session-core.js';

/** What following the store uses of its session's {@link SessionCore}. */
export type HolderHost = Pick<SessionCore, 'tokens' | 'store' | 'events' | 'now' | 'publish' | 'restart'>;

/** Holds a record (or none) read from the store or committed; events follow the change of sign-in. */
export function holdRecord(host: HolderHost, record: TokenRecord | null): void {
	const wasSignedIn = host.tokens.holding !== null;
	const changed = host.tokens.hold(record && {record, held: holdTokens(record.tokens, host.now())});
	host.publish();
	if (changed && wasSignedIn && !record) {
		host.events.signedOut();
	} else if (changed && record) {
		host.events.emit('signedin', {expiresAt: host.tokens.held?.expiresAt ?? null});
	}
}

/** Takes what the store holds; says whether the sign-in is still the same (false: a new epoch began). */
export function adoptStored(host: HolderHost, stored: TokenRecord | null): boolean {
	const outcome = reconcile(host.tokens.holding?.record ?? null, stored, host.store.behind.isStale(stored));
	if (outcome === 'keep') {
		return true;
	}
	// Newer than what a failed write of ours should have replaced: the store is the authority again.
	host.store.behind.caughtUp();
	// Tokens arriving while none are held end nothing: nothing was sent with a token of another sign-in.
	const arriving = outcome === 'switch' && host.tokens.holding === null;
	if (outcome === 'switch' && !arriving) {
		host.restart();
	}
	holdRecord(host, stored);
	return outcome === 'newer' || arriving;
}

/**
 * The store reported a change from elsewhere. When it still holds what a failed write of ours should have
 * replaced (an older generation, the sign-in before a sign-in or sign-out: Redis back, say), ours is written
 * again, so no holder adopts the stale record or spends a spent refresh token. Anything else is news.
 */
export function followStore(host: HolderHost, stored: TokenRecord | null): void {
	if (host.store.behind.isStale(stored)) {
		host.store.writeAgain(() => host.tokens.holding?.record ?? null).catch(noop);
		return;
	}
	adoptStored(host, stored);
}
