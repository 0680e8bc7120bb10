import {StoreError} from '../errors/store-error.js';
import type {CredentialGrant} from '../types/credentials.js';
import type {TokenRecord, TokenRecordVersion} from '../types/store.js';
import type {RefreshReason, TokenSet} from '../types/tokens.js';
import {newRecordId, versionOf} from '../stores/record.js';
import {ENDED} from './grants.js';
import {freshOnly, holdTokens} from './held-tokens.js';
import type {RefreshPlan} from './refresh-runner.js';
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
 * what the session held when the refresh was asked for: a newer generation held now is used as it is.
 */
export async function planRefresh(host: RefreshHost, reason: RefreshReason, epoch: number, trigger: Holding | null): Promise<RefreshPlan<CredentialGrant>> {
	let stored: TokenRecord | null | undefined;
	try {
		stored = await host.store.read();
	} catch (error) {
		// Unreadable store (Redis down, say): another holder may have rotated this refresh token, so it is not
		// spent blind. A grant without a refresh token (client credentials) spends nothing that can be reused.
		if (host.tokens.holding?.held.set.refreshToken !== undefined) {
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
	return {kind: 'spend', tokens: holding?.held.set ?? null, settle: async result => commitRefresh(host, result, spend)};
}

/**
 * Commits a refresh result by compare-and-set, still inside the lock. When another holder changed the store
 * meanwhile, adopts that instead; when the write fails, holds the new tokens (the only valid ones now; the store access marks
 * itself behind). Expiry is anchored at the send; freshness is judged on arrival.
 */
async function commitRefresh(host: RefreshHost, result: TokenSet | null, spend: Spend): Promise<CredentialGrant> {
	const {holding, epoch} = spend;
	const held = result && freshOnly(holdTokens(result, spend.startedAt, holding?.held.set), host.now());
	const record: TokenRecord | null = held && {
		id: holding?.record.id ?? newRecordId(),
		generation: holding ? holding.record.generation + 1 : 0,
		tokens: held.set,
	};
	let committed = true;
	try {
		committed = await host.store.commit(spend.expected, record);
	} catch (error) {
		host.events.emit('storeerror', error instanceof StoreError ? error : new StoreError('STORE_WRITE_FAILED', error, [record?.tokens.accessToken, record?.tokens.refreshToken]));
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
	if (!record || !held) {
		holdRecord(host, null);
		return ENDED;
	}
	host.tokens.hold({record, held});
	host.tokens.error = null;
	host.publish();
	host.events.emit('refresh', {reason: spend.reason, expiresAt: held.expiresAt});
	return host.tokens.grant;
}
