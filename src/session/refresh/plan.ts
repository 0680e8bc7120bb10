import type {CredentialGrant} from '../../types/credentials.js';
import type {TokenRecord} from '../../types/store.js';
import type {RefreshReason} from '../../types/tokens.js';
import {versionOf} from '../../record/record.js';
import {adoptStored, type HolderHost} from '../store/follow-store.js';
import {ENDED} from '../tokens/grants.js';
import type {Holding} from '../tokens/token-state.js';
import {commitRefresh, type Spend} from './commit.js';
import type {RefreshPlan} from './locked-refresh.js';

/**
 * Inside the store's lock: reads the store again and adopts what another holder stored (a newer generation of
 * this sign-in, another sign-in, a sign-out), or spends the newest refresh token of this sign-in. `trigger` is
 * what the session held when the refresh was asked for: a newer generation held now is used as it is. `alone`: the
 * refresh spends nothing shared, so an unreadable store does not stop it.
 */
export async function planRefresh(host: HolderHost, reason: RefreshReason, epoch: number, trigger: Holding | null, alone: boolean): Promise<RefreshPlan<CredentialGrant>> {
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
function spendPlan(host: HolderHost, reason: RefreshReason, epoch: number, trigger: Holding | null, stored: TokenRecord | null | undefined): RefreshPlan<CredentialGrant> {
	const holding = host.tokens.holding;
	if (reason !== 'manual' && holding && holding.record !== trigger?.record && !host.tokens.unusable(host.now())) {
		host.events.emit('refresh', {reason, expiresAt: holding.held.expiresAt});
		return {kind: 'done', value: host.tokens.grant};
	}
	const spend: Spend = {reason, epoch, holding, expected: versionOf(stored === undefined ? holding?.record ?? null : stored), startedAt: host.now()};
	return {kind: 'spend', tokens: holding?.held.set ?? null, settle: async (result, options) => commitRefresh(host, result, spend, options)};
}

