import type {RenewalTimer} from '../../types/auto-refresh.js';
import type {RefreshReason} from '../../types/tokens.js';
import type {SessionSettings} from '../settings.js';
import {renewalDueAt} from '../tokens/expiry.js';
import type {TokenState} from '../tokens/token-state.js';

/**
 * The automatic renewal of a session given `autoRefresh` (and a `refresh` function), else `undefined`: renews the
 * held token in its window through `start`, unless disposed; a machine session's backoff (and a token endpoint's
 * Retry-After) holds for renewals too.
 */
export function sessionRenewal(settings: SessionSettings, tokens: TokenState, start: (reason: RefreshReason) => Promise<unknown>, disposed: () => boolean): RenewalTimer | undefined {
	if (!settings.autoRefresh || !settings.refresh) {
		return undefined;
	}
	return settings.autoRefresh.start({
		now: () => settings.now(),
		dueAt: () => {
			const {held} = tokens;
			return held && !disposed() ? renewalDueAt(held, settings.refreshWindow) : null;
		},
		expiresAt: () => tokens.held?.expiresAt ?? null,
		renew: async () => {
			const now = settings.now();
			const blocking = settings.machine?.blocking(now);
			if (blocking) {
				throw blocking;
			}
			return start(tokens.unusable(now) ?? 'expiring');
		},
	});
}
