/**
 * Issue 8 and issue 16, "Proof", property test: 2–3 holders (sessions) share one memoryStore and are driven
 * through random interleavings (fast-check's scheduler releases every API answer, refresh answer, store answer
 * and the next operation in a random order) of requests through createAuthFetch (each with its own
 * AbortController), 401s (the server revokes access tokens), refresh outcomes, sign-in and sign-out in any holder
 * (also from a `signedout` listener), dispose, a clock jump that expires every token, manual refreshes and store
 * write failures, against a fake authorization server that rotates refresh tokens and detects reuse (a spent
 * refresh token presented again revokes its whole sign-in).
 *
 * Refresh outcomes (scenario.ts): ok, null, throw, hang (never reached the server), and the faults of issue 16:
 * - late: the server rotates at once, the answer comes 15 s after the refresh timeout (ignoring the signal),
 *   within the 30 s grace docs/token-lifecycle.md promises for late answers: the session must commit it;
 * - rejected: the server rotates, the refresh calls `keep(next)` then throws (an ID-token check failing): the
 *   kept tokens must be committed;
 * - lost: the server rotates, the answer never comes; the refresh rejects when its signal aborts (a token request
 *   that timed out after it reached the server).
 * In the asynchronous store mode, the next store write may also be hit by a fault (store.ts): never answered
 * (landed or not), or landed and answered only after the session's bound for it (late replies from the store).
 *
 * Time is fake (setTimeout only): it moves only when nothing else can, so a hung refresh ends at the refresh
 * timeout, a late answer comes 15 s after it and an unanswered write is given up at its bound without real
 * waiting, and a run is deterministic for its seed. The operations run without time moving, except at a `pause`
 * (0.5, 1.5, 20 or 45 fake s), so later ones also start while a refresh times out, during a late answer's grace,
 * while a commit is retried, or after.
 *
 * Invariants (checked while the run goes, then at its end):
 * 1. a request never carries a token of a sign-in other than the one its holder held when it started
 *    (checked on every send, the retry included; signed out at the start: it carries no token);
 * 2. at most one call into the refresh function per sign-in is in flight, across all holders (a call counts until
 *    it settles: a late answer still coming counts);
 * 3. a refresh token is never spent while a newer generation of its sign-in is stored, and is presented at most
 *    once: every reuse the server detects is of a refresh token whose successor a failed store write kept out of
 *    the store (the only holder that knew it could not share it), or the one unknown outcome below. Late answers,
 *    rejected 200s, unanswered and late store writes allow no reuse at all;
 * 4. nothing outlives its bounds once nothing can move any more (a bound on the rounds of "release everything,
 *    then the next timer", not a sleep): no request, sign-in, sign-out, manual refresh or task inside the store's
 *    lock is left pending; each request, sign-in, sign-out and manual refresh settles within the session's
 *    documented bounds (`operationBound` in world.ts: the first read, then per refresh the wait for another
 *    holder's lock, `lockWaitLimit`, and one's own `refreshTimeout`); the refresh's own signal aborts within
 *    `refreshTimeout` and the late answer's grace of the call unless it settled first (the waiters stop at
 *    refreshTimeout; the token request may run the grace longer, so that a late answer is kept); and in a run
 *    without a fault that takes time (no hang, late or lost outcome, no store write fault), nothing waits for a
 *    timer at all;
 * 5. a sign-out is never undone: a refresh commit never writes a sign-in over a later sign-out or over a later
 *    sign-in; and when the last sign-in/sign-out operation is a sign-out whose store write landed last (answered
 *    or not), the store and every holder still open end signed out. Sign-in and sign-out write with an
 *    unconditional `set`, so concurrent ones land in the store's order (the last landed wins); a `set` the session
 *    gave up on that lands after a later sign-out is that case too, and is not counted as undoing it.
 *
 * The one unknown outcome, `lost`: the server rotated the refresh token but the session never learnt it; it
 * cannot tell this from a request that never reached the server. Issue 16 says a timed-out token request is an
 * unknown outcome, and docs/token-lifecycle.md ("The one unknown left") says what the session does with it: once
 * the refresh has failed, the lock is let go and the next refresh presents the same refresh token again; a server
 * with reuse detection then revokes the sign-in (the session ends signed out), one with a reuse interval accepts
 * it. The control "lost answers are presented again" below shows it happens, and when: a refresh that honours its
 * signal (as fetch does) rejects when it aborts, at refreshTimeout plus the 30 s grace, so the lock is let go then
 * and the waiting holder presents the same refresh token. Presenting it
 * again is the documented choice, not a proof it reached nobody; a session that refused to (ending the sign-in
 * instead) would meet the strict rule: run the property with `lostAllowed: false`. So invariant 3 allows exactly
 * this: a reuse of a refresh token that a `lost` call presented, and nothing else. Invariants 2 and 4 still hold for it
 * (no second presentation while the lost call is in flight; it ends at refreshTimeout plus the grace), and every other refresh
 * token in the same run stays under the strict rule.
 *
 * Known bugs (known-bugs.ts, each with an `it.fails` test in test/holders/) are set apart while quarantined: their
 * exact symptoms are listed in a failing run's log as "known bug", not counted as broken. When one is fixed, its
 * `it.fails` test fails: make it `it` and end its quarantine.
 *
 * Runs: INTERLEAVINGS_RUNS and INTERLEAVINGS_SEED override the number of runs and the seed when hunting.
 */
import fc from 'fast-check';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {lateAnswerGrace} from '../../../src/session/refresh/spend.js';
import {allOutcomes, classicOutcomes} from './scenario.js';
import {interleavings, runs} from './run.js';
import {refreshTimeout} from './world.js';

beforeEach(() => {
	vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
});

afterEach(() => {
	vi.clearAllTimers();
	vi.useRealTimers();
});

const defaultRuns = 400;

describe('holders sharing one memoryStore, over random interleavings', () => {
	it('never cross sign-ins, refresh once at a time, never reuse a refresh token, never hang, never undo a sign-out', async () => {
		await fc.assert(interleavings({outcomes: allOutcomes, writeFaults: false}, {mode: {async: false, lock: true}}), runs(defaultRuns));
	}, 120_000);

	it('the same when the store answers asynchronously, with writes never answered or answered late', async () => {
		await fc.assert(interleavings({outcomes: allOutcomes, writeFaults: true}, {mode: {async: true, lock: true}}), runs(defaultRuns));
	}, 120_000);
});

/** Runs a property that must fail (a control): the first counterexample's message. */
async function counterexample(property: ReturnType<typeof interleavings>, seed = 1): Promise<string> {
	const result = await fc.check(property, {numRuns: 300, seed, endOnFailure: true});
	expect(result.failed).toBe(true);
	return String(result.errorInstance);
}

describe('controls: the checks can fail', () => {
	it('catches holders that do not share a lock', async () => {
		expect(await counterexample(interleavings({outcomes: classicOutcomes, writeFaults: false}, {mode: {async: false, lock: false}}))).toContain('in flight at once');
	});

	it('catches a rejected 200 whose tokens are not kept: its spent refresh token is presented again', async () => {
		const message = await counterexample(interleavings({outcomes: ['ok', 'rejected'], writeFaults: false}, {mode: {async: false, lock: true}, keep: false}));
		expect(message).toContain('refresh tokens spent twice without any store failure or lost answer');
	});

	it('catches an answer later than the grace: the session gave up on it, its refresh token is presented again', async () => {
		const options = {mode: {async: false, lock: true}, lateAnswerAfter: refreshTimeout + lateAnswerGrace + 1000};
		expect(await counterexample(interleavings({outcomes: ['ok', 'late'], writeFaults: false}, options))).toContain('refresh tokens spent twice');
	});

	it('lost answers are presented again (the one unknown outcome): without its allowance, invariant 3 fails', async () => {
		const message = await counterexample(interleavings({outcomes: ['ok', 'lost'], writeFaults: false}, {mode: {async: false, lock: true}, lostAllowed: false}));
		expect(message).toContain('refresh tokens spent twice though no write of a newer generation failed and no answer to them was lost');
	});
});
