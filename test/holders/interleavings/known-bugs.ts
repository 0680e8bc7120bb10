/**
 * Bugs in src/session the interleavings property found, each with a focused test in test/holders/ (`it.fails`
 * until fixed). While `quarantine` is on, their exact symptoms are set apart (listed as "known bug" in a failing
 * run's log, not counted as broken), so the property keeps guarding everything else in `npm test`. Turn
 * `quarantine` off once src/session is fixed: the control "known bugs still show" in
 * interleavings.property.test.ts then fails, as a reminder.
 */
export const knownBugs = {
	/**
	 * refresh-timeout-after-sign-out.test.ts: when the holder's epoch changes (sign-in, sign-out, dispose, or
	 * following another holder's) while its refresh token is being spent, runRefresh clears the refreshTimeout
	 * timer: the refresh's signal never aborts, a token request that honours it never ends, the lock is held for ever.
	 */
	refreshSignalAfterEpochChange: 'a refresh whose holder\'s epoch changed meanwhile never has its signal aborted',
	/**
	 * dispose-during-unanswered-commit.test.ts: a refresh commit the store does not answer is given up at its bound
	 * when the holder's epoch changed (dispose included), and the lock let go with the spent generation still stored.
	 */
	commitGivenUpOnEpochChange: 'an unanswered refresh commit given up after its holder\'s epoch changed lets the spent refresh token be presented again',
	/**
	 * sign-out-after-failed-sign-in.test.ts (issue 16 lists it as known): a holder whose sign-in write failed takes
	 * another holder's later sign-out (`null` again) for the stale record its write should have replaced, and
	 * writes its sign-in again over it (or, its lock held, stays signed in). Rare: about once in a few thousand runs.
	 */
	signOutUndoneByWriteAgain: 'a sign-in whose store write failed is written again over a later sign-out of another holder',
} as const;

/** Whether the known bugs are set apart by default. */
export const quarantine = true;
