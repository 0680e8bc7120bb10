/**
 * Bugs in src/session the interleavings property found, each with a focused test in test/holders/ (`it.fails`
 * until fixed). While a bug is quarantined (below), its exact symptoms are set apart (listed as "known bug" in a
 * failing run's log, not counted as broken), so the property keeps guarding everything else in `npm test`. When a
 * fix lands, its `it.fails` test fails, as a reminder: turn it into `it`, and the bug's entry below to `false`.
 *
 * Fixed so far (4c4c553), their tests now plain `it`: refresh-timeout-after-sign-out.test.ts (a refresh whose
 * holder's epoch changed never had its signal aborted: the lock held for ever) and
 * dispose-during-unanswered-commit.test.ts (an unanswered refresh commit given up on a change of epoch or dispose:
 * the spent refresh token presented again).
 */
export const knownBugs = {
	/**
	 * sign-out-after-failed-sign-in.test.ts (issue 16 lists it as known): a holder whose sign-in write failed takes
	 * another holder's later sign-out (`null` again) for the stale record its write should have replaced, and
	 * writes its sign-in again over it (or, its lock held, stays signed in). Rare: about once in a few thousand runs.
	 */
	signOutUndoneByWriteAgain: 'a sign-in whose store write failed is written again over a later sign-out of another holder',
} as const;

export type KnownBug = keyof typeof knownBugs;

/** Which known bugs are set apart by default. */
export const quarantine: Readonly<Record<KnownBug, boolean>> = {
	signOutUndoneByWriteAgain: true,
};
