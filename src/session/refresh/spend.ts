import {dev, seeDocs} from '../../utils/dev.js';
import {RefreshError} from '../../errors/refresh-error.js';
import type {RefreshContext, RefreshFunction, RefreshReason, TokenSet} from '../../types/tokens.js';
import {bounded} from '../../utils/bounded.js';
import {noop} from '../../utils/timers.js';
import type {RefreshScope} from './refresh-scope.js';
import {tokenSetProblem} from '../../record/token-set.js';

/** How long a refresh token's holder waits, past `refreshTimeout`, for a late answer to its token request. */
export const lateAnswerGrace = 30_000;

/**
 * What spending a refresh token came to:
 * - `tokens`: the refresh resolved (`null`: the sign-in is over), in time or late;
 * - `failed`: it threw or gave no answer; `kept` holds what it handed over with `keep()` first, if anything.
 */
export type SpendOutcome =
	| {readonly kind: 'tokens'; readonly tokens: TokenSet | null}
	| {readonly kind: 'failed'; readonly error: unknown; readonly kept: TokenSet | undefined};

/** What a spend calls the session's refresh function with (a refresh job has it: locked-refresh.ts). */
export interface SpendCall {
	refresh: RefreshFunction;
	reason: RefreshReason;
	/** A claims challenge for this refresh (see `RefreshContext.claims`). */
	claims: string | undefined;
	scope: RefreshScope;
}

/** The two deadlines of a spend. */
export interface SpendDeadlines {
	/** Passed to the refresh: aborted at `refreshTimeout` plus `lateAnswerGrace`, when no answer can be kept any more. */
	request: AbortSignal;
	/** Aborted at `refreshTimeout`, when the waiters stop waiting: from then on, an answer is awaited only to be kept. */
	waiters: AbortSignal;
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
 * Presents the refresh token of `tokens` once and keeps whatever the server issued for it: a result that comes after
 * the `waiters` deadline (the waiters have failed by then) is still taken until the refresh's own `request` deadline
 * (a refresh that ignores it is given up then too), and tokens handed over with `keep()` before a check threw are
 * reported as `kept`. The caller holds the store's lock throughout, so no
 * other holder presents the same refresh token while its answer may still come.
 */
export async function spendOnce(call: SpendCall, tokens: TokenSet | null, deadlines: SpendDeadlines): Promise<SpendOutcome> {
	let kept: TokenSet | undefined;
	const keep = (tokens: TokenSet): void => {
		const problem = tokenSetProblem(tokens);
		if (problem !== undefined) {
			throw new TypeError(dev ? `RefreshContext.keep: expected a TokenSet, got ${problem}` : `RefreshContext.keep: ${seeDocs('TypeError')}`);
		}
		kept = tokens;
	};
	const context: RefreshContext = {tokens, reason: call.reason, signal: deadlines.request, keep, ...(call.claims === undefined ? {} : {claims: call.claims})};
	const answer = call.scope.run(async () => call.refresh(context));
	answer.catch(noop);
	try {
		return {kind: 'tokens', tokens: validate(await bounded(answer, {signal: deadlines.waiters}))};
	} catch (error) {
		if (!deadlines.waiters.aborted || error !== deadlines.waiters.reason) {
			return {kind: 'failed', error, kept};
		}
	}
	// Timed out: the waiters fail now, but the token request goes on, and an answer the server acted on is kept.
	const timedOut: unknown = deadlines.waiters.reason;
	try {
		return {kind: 'tokens', tokens: validate(await bounded(answer, {signal: deadlines.request}))};
	} catch {
		return {kind: 'failed', error: timedOut, kept};
	}
}
