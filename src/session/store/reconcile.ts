import type {TokenRecord} from '../../types/store.js';

/**
 * What a holder makes of a record read from the store, against the record it holds:
 * - `keep`: the same record, or an older one of the same sign-in (a stale read, or the store is behind);
 * - `newer`: a newer generation of the same sign-in: adopt the stored record and go on in the same epoch;
 * - `switch`: another sign-in or a sign-out: adopt the stored record (or none) in a new epoch (refreshes in
 *   flight are abandoned).
 */
export type Reconciled = 'keep' | 'newer' | 'switch';

/**
 * Compares the held record with the stored one. `stale`: the stored record is what a failed write of this
 * holder should have replaced (a sign-in, a sign-out or a commit that did not land), so it is not news.
 */
export function reconcile(held: TokenRecord | null, stored: TokenRecord | null, stale: boolean): Reconciled {
	if (held !== null && stored !== null && stored.id === held.id) {
		return stored.generation > held.generation ? 'newer' : 'keep';
	}
	if ((held === null && stored === null) || stale) {
		return 'keep';
	}
	return 'switch';
}
