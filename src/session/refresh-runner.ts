import {RefreshError} from '../errors/refresh-error.js';
import {redactError} from '../errors/redact.js';
import type {TokenStore} from '../types/store.js';
import type {RefreshFunction, RefreshReason, TokenSet} from '../types/tokens.js';
import {bounded} from '../utils/bounded.js';
import {commitTimeout} from './writes-in-flight.js';
import type {RefreshScope} from './refresh-scope.js';
import {tokenSetProblem} from './token-set.js';

/**
 * What a refresh does once it holds the store's lock and has read the store again: finish without
 * spending anything (`done`: adopted what another holder stored, or the sign-in changed), or `spend`
 * the refresh token of `tokens` and `settle` the result (commit by compare-and-set) before the lock is released.
 */
export type RefreshPlan<T> =
	| {readonly kind: 'done'; readonly value: T}
	| {readonly kind: 'spend'; readonly tokens: TokenSet | null; readonly settle: (result: TokenSet | null) => Promise<T>};

/** Everything one refresh attempt needs; `T` is what settling it produces. */
export interface RefreshJob<T> {
	refresh: RefreshFunction;
	reason: RefreshReason;
	/** A claims challenge for this refresh (see `RefreshContext.claims`). */
	claims: string | undefined;
	timeout: number;
	store: TokenStore;
	scope: RefreshScope;
	/** Aborted when the session signs in or out (a new epoch): stops waiting, and anything before the spend. */
	signal: AbortSignal;
	/** Runs inside the store lock: reads the store and decides. */
	plan: () => Promise<RefreshPlan<T>>;
}

function validate(result: unknown): TokenSet | null {
	if (result === null) {
		return null;
	}
	const problem = tokenSetProblem(result);
	if (problem !== undefined) {
		throw new RefreshError('REFRESH_INVALID_RESULT', {detail: problem});
	}
	return result as TokenSet;
}

/**
 * Runs one refresh: inside the store's lock when it has one, reading the store again first and settling
 * before the lock is released. The session's signal (a sign-in, sign-out or dispose) stops the wait for the
 * lock and anything before the spend; once the refresh token is being spent, only the timeout stops it, and
 * the lock is kept until the result is committed by compare-and-set (which never overwrites that sign-in or
 * sign-out), so no other holder can spend the same refresh token meanwhile. The caller stops waiting at once
 * on the session's signal. Never hangs: a refresh that ignores its signal is abandoned at the timeout, and the
 * lock with it. Any failure becomes a {@link RefreshError} whose cause has the spent tokens redacted.
 */
export async function runRefresh<T>(job: RefreshJob<T>): Promise<T> {
	const timeout = new AbortController();
	const beforeSpend = AbortSignal.any([job.signal, timeout.signal]);
	const spent: {tokens: TokenSet | null} = {tokens: null};
	const attempt = async (): Promise<T> => {
		// Before the spend, a sign-out or dispose of this holder releases the lock at once, not at its timeout.
		const plan = await bounded(job.plan(), {signal: beforeSpend});
		if (plan.kind === 'done') {
			return plan.value;
		}
		beforeSpend.throwIfAborted();
		spent.tokens = plan.tokens;
		const result: unknown = await bounded(job.scope.run(async () => job.refresh(job.claims === undefined ? {tokens: plan.tokens, reason: job.reason, signal: timeout.signal} : {tokens: plan.tokens, reason: job.reason, signal: timeout.signal, claims: job.claims})), {signal: timeout.signal});
		const tokens = validate(result);
		// The refresh token is spent: the commit runs to its end inside the lock, even past the timeout (bounded on
		// its own, by the longer of the timeout and 30 s), so the next holder never reads the generation before it.
		return bounded(plan.settle(tokens), {timeout: Math.max(job.timeout, commitTimeout)});
	};
	const work = job.store.lock ? job.store.lock(attempt, beforeSpend) : attempt();
	work.catch(() => undefined);
	try {
		return await bounded(work, {
			timeout: job.timeout,
			onTimeout() {
				const error = new RefreshError('REFRESH_TIMEOUT', {detail: `no result within ${job.timeout} ms`});
				timeout.abort(error);
				return error;
			},
			signal: job.signal,
		});
	} catch (error) {
		if (error instanceof RefreshError || job.signal.aborted) {
			throw error;
		}
		throw new RefreshError('REFRESH_FAILED', {cause: redactError(error, [spent.tokens?.accessToken, spent.tokens?.refreshToken])});
	}
}
