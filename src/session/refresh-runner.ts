import {RefreshError} from '../errors/refresh-error.js';
import {redactError} from '../errors/redact.js';
import type {TokenStore} from '../types/store.js';
import type {RefreshFunction, RefreshReason, TokenSet} from '../types/tokens.js';
import {bounded} from '../utils/bounded.js';
import type {RefreshScope} from './refresh-scope.js';
import {tokenSetProblem} from './token-set.js';

/** What one refresh attempt produced. */
export type RefreshOutcome =
	| {kind: 'refreshed'; tokens: TokenSet | null}
	| {kind: 'adopted'; tokens: TokenSet};

/** Everything one refresh attempt needs; `T` is what settling the outcome produces. */
export interface RefreshJob<T> {
	refresh: RefreshFunction;
	tokens: TokenSet | null;
	reason: RefreshReason;
	timeout: number;
	store: TokenStore;
	scope: RefreshScope;
	/** Aborted when the session signs in or out meanwhile. */
	signal: AbortSignal;
	/** Runs inside the store lock before refreshing: tokens another holder stored meanwhile, to adopt instead. */
	recheck: () => Promise<TokenSet | undefined>;
	/** Applies the outcome (memory and store) while the lock is still held, so the next holder's recheck sees it. */
	settle: (outcome: RefreshOutcome) => Promise<T>;
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

async function attempt<T>(job: RefreshJob<T>, signal: AbortSignal): Promise<T> {
	const adopted = await job.recheck();
	if (adopted !== undefined) {
		return job.settle({kind: 'adopted', tokens: adopted});
	}
	signal.throwIfAborted();
	const result: unknown = await job.scope.run(async () => job.refresh({tokens: job.tokens, reason: job.reason, signal}));
	const tokens = validate(result);
	signal.throwIfAborted();
	return job.settle({kind: 'refreshed', tokens});
}

/**
 * Runs one refresh: inside the store's lock when it has one, checking the store again first and
 * settling the outcome before the lock is released, bounded
 * by `timeout` and by the session's signal. Never hangs: a refresh that ignores its signal is abandoned
 * at the timeout. Any failure becomes a {@link RefreshError} whose cause has tokens redacted.
 */
export async function runRefresh<T>(job: RefreshJob<T>): Promise<T> {
	const timeout = new AbortController();
	const signal = AbortSignal.any([job.signal, timeout.signal]);
	const work = job.store.lock
		? job.store.lock(async () => bounded(attempt(job, signal), {signal}), signal)
		: attempt(job, signal);
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
		throw new RefreshError('REFRESH_FAILED', {cause: redactError(error, [job.tokens?.accessToken, job.tokens?.refreshToken])});
	}
}
