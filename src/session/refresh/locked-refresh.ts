import {dev} from '../../utils/dev.js';
import {RefreshError} from '../../errors/refresh-error.js';
import {redactError} from '../../redact/redact.js';
import type {TokenStore} from '../../types/store.js';
import type {TokenSet} from '../../types/tokens.js';
import {bounded} from '../../utils/bounded.js';
import {noop} from '../../utils/timers.js';
import {lateAnswerGrace, spendOnce, type SpendCall, type SpendDeadlines} from './spend.js';
import {commitTimeout} from '../store/writes-in-flight.js';

/** How a spend's result is settled. */
export interface SettleOptions<T> {
	/** The tokens come from an answer the refresh rejected after `keep()`: hold them with the access token expired. */
	readonly expired: boolean;
	/** Gives the waiters their value as soon as the new tokens are held, before the store has answered the commit. */
	readonly handOver: (value: T) => void;
}

/**
 * What a refresh does once it holds the store's lock and has read the store again: finish without
 * spending anything (`done`: adopted what another holder stored, or the sign-in changed), or `spend`
 * the refresh token of `tokens` and `settle` the result (commit by compare-and-set) before the lock is released.
 */
export type RefreshPlan<T> =
	| {readonly kind: 'done'; readonly value: T}
	| {readonly kind: 'spend'; readonly tokens: TokenSet | null; readonly settle: (result: TokenSet | null, options: SettleOptions<T>) => Promise<T>};

/** Everything one refresh attempt needs (the refresh function's call, spend.ts, and the following); `T` is what settling it produces. */
export interface RefreshJob<T> extends SpendCall {
	/** Bounds one's own refresh, from the moment the lock is held. */
	timeout: number;
	store: TokenStore;
	/** Aborted when the session signs in or out (a new epoch): stops waiting, and anything before the spend. */
	signal: AbortSignal;
	/**
	 * Whether the refresh may run without the lock when the store cannot lock (unreachable, no answer): only
	 * when nothing shared is spent (a machine session holding no refresh token).
	 */
	alone: boolean;
	/** Runs inside the store lock: reads the store and decides. */
	plan: () => Promise<RefreshPlan<T>>;
}

/**
 * The longest a live holder with this `refreshTimeout` keeps the store's lock: its own refresh, a late answer's
 * grace, and the commit. Waiting for another holder's lock ends there at the latest.
 */
export function lockWaitLimit(refreshTimeout: number): number {
	return Math.min(refreshTimeout + lateAnswerGrace + Math.max(refreshTimeout, commitTimeout), 2_147_483_647);
}

function timeoutError(detail: string): RefreshError {
	return new RefreshError('REFRESH_TIMEOUT', {detail});
}

/**
 * Runs one refresh: inside the store's lock when it has one, reading the store again first and settling before
 * the lock is released. Two bounds, each for its own wait: waiting for the lock (another holder's refresh) ends
 * when it is released, on the session's signal, or at {@link lockWaitLimit}; `timeout` (`refreshTimeout`)
 * bounds one's own refresh from the moment the lock is held. The session's signal stops anything before the
 * spend; once the refresh token is being spent, its answer is awaited (past the timeout, for a late answer) and
 * committed inside the lock, so no other holder can present the same refresh token meanwhile. The waiters get
 * the new tokens as soon as they are held, before the store answers the commit. A lock the store could not take
 * (unreachable, or no answer in time) fails the refresh: nothing is spent, unless `alone` allows it.
 */
export async function runLockedRefresh<T>(job: RefreshJob<T>): Promise<T> {
	const own = new AbortController();
	const waiting = new AbortController();
	const beforeSpend = AbortSignal.any([job.signal, own.signal, waiting.signal]);
	const waitLimit = lockWaitLimit(job.timeout);
	const waitTimer = setTimeout(() => {
		waiting.abort(timeoutError(dev ? `waited ${waitLimit} ms for another holder's refresh` : ''));
	}, waitLimit);
	let started = false;
	const spent: {tokens: TokenSet | null} = {tokens: null};
	let handOver: (value: T) => void = noop;
	const handed = new Promise<T>(resolve => {
		handOver = resolve;
	});
	const attempt = async (): Promise<T> => {
		started = true;
		clearTimeout(waitTimer);
		// Runs to the end of the attempt, even once the waiters have left (a new epoch): a token request that
		// honours its signal must end, or the lock is never let go.
		const ownTimer = setTimeout(() => {
			own.abort(timeoutError(dev ? `no result within ${job.timeout} ms` : ''));
		}, job.timeout);
		// The token request itself may run `lateAnswerGrace` longer: an answer that comes late is still kept.
		const request = new AbortController();
		const requestTimer = setTimeout(() => {
			request.abort(timeoutError(dev ? `no answer within ${job.timeout} ms and ${lateAnswerGrace} ms more` : ''));
		}, job.timeout + lateAnswerGrace);
		try {
			return await spendLocked(job, beforeSpend, {waiters: own.signal, request: request.signal}, spent, handOver);
		} finally {
			clearTimeout(ownTimer);
			clearTimeout(requestTimer);
		}
	};
	const work = locked(job, attempt, beforeSpend, () => started);
	work.catch(noop);
	try {
		return await bounded(Promise.race([work, handed]), {signal: beforeSpend});
	} catch (error) {
		if (error instanceof RefreshError || job.signal.aborted) {
			throw error;
		}
		throw new RefreshError('REFRESH_FAILED', {cause: redactError(error, [spent.tokens?.accessToken, spent.tokens?.refreshToken])});
	} finally {
		clearTimeout(waitTimer);
	}
}

/** Inside the lock: plans, spends the refresh token once, and settles what the server issued. */
async function spendLocked<T>(job: RefreshJob<T>, beforeSpend: AbortSignal, deadlines: SpendDeadlines, spent: {tokens: TokenSet | null}, handOver: (value: T) => void): Promise<T> {
	// Before the spend, a sign-out or dispose of this holder releases the lock at once, not at its timeout.
	const plan = await bounded(job.plan(), {signal: beforeSpend});
	if (plan.kind === 'done') {
		return plan.value;
	}
	beforeSpend.throwIfAborted();
	spent.tokens = plan.tokens;
	const outcome = await spendOnce(job, plan.tokens, deadlines);
	if (outcome.kind === 'tokens') {
		return plan.settle(outcome.tokens, {expired: false, handOver});
	}
	if (outcome.kept) {
		// The server rotated the refresh token in an answer the refresh then rejected: keep the new one.
		await plan.settle(outcome.kept, {expired: true, handOver: noop});
	}
	throw outcome.error;
}

/** Runs `attempt` inside the store's lock; a lock the store could not take runs it alone only where `job.alone` allows. */
async function locked<T>(job: RefreshJob<T>, attempt: () => Promise<T>, signal: AbortSignal, started: () => boolean): Promise<T> {
	if (!job.store.lock) {
		return attempt();
	}
	try {
		return await job.store.lock(attempt, signal);
	} catch (error) {
		if (started() || signal.aborted) {
			throw error;
		}
		if (!job.alone) {
			throw new RefreshError('REFRESH_FAILED', {detail: dev ? 'the store\'s lock could not be taken, so the refresh token was not spent' : '', cause: redactError(error, [])});
		}
		return attempt();
	}
}
