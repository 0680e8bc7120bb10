import {StoreError} from '../errors/store-error.js';
import type {CredentialGrant} from '../types/credentials.js';
import type {TokenRecord, TokenRecordVersion} from '../types/store.js';
import type {RefreshReason, TokenSet} from '../types/tokens.js';
import {newRecordId, versionOf} from '../stores/record.js';
import {ENDED} from './grants.js';
import {freshOnly, holdTokens} from './held-tokens.js';
import type {RefreshPlan, SettleOptions} from './refresh-runner.js';
import {adoptStored, holdRecord, type HolderHost} from './follow-store.js';
import type {Holding} from './token-state.js';
import {noop} from '../utils/timers.js';

/** What the in-lock steps of a refresh need from their session. */
export type RefreshHost = HolderHost;

/** The refresh this plan spends: for which sign-in and generation, against which stored version. */
interface Spend {
	readonly reason: RefreshReason;
	readonly epoch: number;
	readonly holding: Holding | null;
	readonly expected: TokenRecordVersion;
	readonly startedAt: number;
}


/**
 * Inside the store's lock: reads the store again and adopts what another holder stored (a newer generation of
 * this sign-in, another sign-in, a sign-out), or spends the newest refresh token of this sign-in. `trigger` is
 * what the session held when the refresh was asked for: a newer generation held now is used as it is. `alone`: the
 * refresh spends nothing shared, so an unreadable store does not stop it.
 */
export async function planRefresh(host: RefreshHost, reason: RefreshReason, epoch: number, trigger: Holding | null, alone: boolean): Promise<RefreshPlan<CredentialGrant>> {
	let stored: TokenRecord | null | undefined;
	try {
		stored = await host.store.read();
	} catch (error) {
		// Unreadable store (Redis down, say): another holder may have rotated this refresh token (or the cookie a
		// signed-out refresh spends), so nothing is spent blind. Only what is not shared may be (`alone`: a machine
		// session holding no refresh token).
		if (!alone) {
			throw error;
		}
	}
	if (epoch !== host.tokens.epoch || (stored !== undefined && !adoptStored(host, stored))) {
		return {kind: 'done', value: ENDED};
	}
	// Tokens that arrived in that read (none were held) start the epoch this refresh now spends and commits in:
	// planned under the one before, its result would be dropped and its spent refresh token kept.
	return spendPlan(host, reason, host.tokens.epoch, trigger, stored);
}

/** After the store was read again (`undefined`: it could not be, with nothing to lose): use a newer generation held now, or spend. */
function spendPlan(host: RefreshHost, reason: RefreshReason, epoch: number, trigger: Holding | null, stored: TokenRecord | null | undefined): RefreshPlan<CredentialGrant> {
	const holding = host.tokens.holding;
	if (reason !== 'manual' && holding && holding.record !== trigger?.record && !host.tokens.unusable(host.now())) {
		host.events.emit('refresh', {reason, expiresAt: holding.held.expiresAt});
		return {kind: 'done', value: host.tokens.grant};
	}
	const spend: Spend = {reason, epoch, holding, expected: versionOf(stored === undefined ? holding?.record ?? null : stored), startedAt: host.now()};
	return {kind: 'spend', tokens: holding?.held.set ?? null, settle: async (result, options) => commitRefresh(host, result, spend, options)};
}

/** The record a refresh result becomes: the next generation of the spent one (a new sign-in id when none was held). */
function nextRecord(host: RefreshHost, result: TokenSet, spend: Spend, expired: boolean): Holding {
	const {holding} = spend;
	const normalised = holdTokens(expired ? {...result, expiresAt: spend.startedAt} : result, spend.startedAt, holding?.held.set);
	// Kept from a rejected answer: expired on purpose, so the next request refreshes with its refresh token.
	const held = expired ? normalised : freshOnly(normalised, host.now());
	return {record: {id: holding?.record.id ?? newRecordId(), generation: holding ? holding.record.generation + 1 : 0, tokens: held.set}, held};
}

/**
 * Commits a refresh result by compare-and-set, still inside the lock. New tokens are held (and handed to the
 * waiters) at once, before the store answers: a slow write stalls no request, and the lock is kept until the
 * write lands or is superseded (the store access tries an unanswered write again), so no other holder reads the
 * spent generation meanwhile. When another holder changed the store meanwhile (a sign-in or sign-out), that is
 * adopted instead; when the write fails, the new tokens stay held (the only valid ones now; the store access marks
 * itself behind). Expiry is anchored at the send; freshness is judged on arrival.
 */
async function commitRefresh(host: RefreshHost, result: TokenSet | null, spend: Spend, options: SettleOptions<CredentialGrant>): Promise<CredentialGrant> {
	let {epoch} = spend;
	const next = result && nextRecord(host, result, spend, options.expired);
	if (next && epoch === host.tokens.epoch) {
		host.tokens.hold(next);
		// Tokens that start a sign-in (none were held: a refresh cookie, say) start its epoch.
		epoch = host.tokens.epoch;
		host.tokens.error = null;
		host.publish();
		if (!options.expired) {
			host.events.emit('refresh', {reason: spend.reason, expiresAt: next.held.expiresAt});
			options.handOver(host.tokens.grant);
		}
	}
	let committed = true;
	try {
		committed = await host.store.commit(spend.expected, next?.record ?? null);
	} catch (error) {
		host.events.emit('storeerror', error instanceof StoreError ? error : new StoreError('STORE_WRITE_FAILED', error, [next?.record.tokens.accessToken, next?.record.tokens.refreshToken]));
	}
	if (epoch !== host.tokens.epoch) {
		return ENDED;
	}
	if (!committed) {
		const stored = await host.store.read().catch(noop);
		// A sign-in or sign-out made while the store was read again is newer than whatever the read answered.
		if (epoch !== host.tokens.epoch) {
			return ENDED;
		}
		return stored !== undefined && adoptStored(host, stored) ? host.tokens.grant : ENDED;
	}
	if (!next) {
		holdRecord(host, null);
		return ENDED;
	}
	return host.tokens.grant;
}
