import {StoreError} from '../../errors/store-error.js';
import {newRecordId} from '../../record/record.js';
import type {CredentialGrant} from '../../types/credentials.js';
import type {TokenRecordVersion} from '../../types/store.js';
import type {RefreshReason, TokenSet} from '../../types/tokens.js';
import {noop} from '../../utils/timers.js';
import {adoptStored, holdRecord, type HolderHost} from '../store/follow-store.js';
import {ENDED} from '../tokens/grants.js';
import {freshOnly, holdTokens} from '../tokens/held-tokens.js';
import type {Holding} from '../tokens/token-state.js';
import type {SettleOptions} from './locked-refresh.js';

/** The refresh this plan spends: for which sign-in and generation, against which stored version. */
export interface Spend {
	readonly reason: RefreshReason;
	readonly epoch: number;
	readonly holding: Holding | null;
	readonly expected: TokenRecordVersion;
	readonly startedAt: number;
}

/** The record a refresh result becomes: the next generation of the spent one (a new sign-in id when none was held). */
function nextRecord(host: HolderHost, result: TokenSet, spend: Spend, expired: boolean): Holding {
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
export async function commitRefresh(host: HolderHost, result: TokenSet | null, spend: Spend, options: SettleOptions<CredentialGrant>): Promise<CredentialGrant> {
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
