import type {TokenRecord} from '../../types/store.js';

/**
 * What a holder makes of a record read from the store, against the record it holds:
 * - `keep`: the same record, or an older one of the same sign-in (a stale read, or the store is behind);
 * - `newer`: a newer generation of the same sign-in: adopt it and go on in the same epoch;
 * - `switch`: another sign-in or a sign-out: a new epoch (refreshes in flight are abandoned).
 */
export type Reconciled =
	| {readonly kind: 'keep'}
	| {readonly kind: 'newer'; readonly record: TokenRecord}
	| {readonly kind: 'switch'; readonly record: TokenRecord | null};

const keep: Reconciled = Object.freeze({kind: 'keep'});

/**
 * Compares the held record with the stored one. `stale`: the stored record is what a failed write of this
 * holder should have replaced (a sign-in, a sign-out or a commit that did not land), so it is not news.
 */
export function reconcile(held: TokenRecord | null, stored: TokenRecord | null, stale: boolean): Reconciled {
	if (held !== null && stored !== null && stored.id === held.id) {
		return stored.generation > held.generation ? {kind: 'newer', record: stored} : keep;
	}
	if ((held === null && stored === null) || stale) {
		return keep;
	}
	return {kind: 'switch', record: stored};
}
