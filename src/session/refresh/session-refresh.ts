import {redactError} from '../../redact/redact.js';
import {RefreshError} from '../../errors/refresh-error.js';
import type {CredentialGrant} from '../../types/credentials.js';
import type {RefreshReason} from '../../types/tokens.js';
import {ENDED} from '../tokens/grants.js';
import type {HolderHost} from '../store/follow-store.js';
import {planRefresh} from './plan.js';
import {runLockedRefresh} from './locked-refresh.js';
import type {SessionCore} from '../session-core.js';

/** What one refresh uses of its session's {@link SessionCore}: following the store's, plus the settings, the scope and the epoch's lifetime. */
export type SessionRefreshHost = HolderHost & Pick<SessionCore, 'settings' | 'scope' | 'lifetime'>;

/**
 * One refresh of a session, as its coordinator runs it: through the store's lock with the in-lock steps of
 * plan.ts and commit.ts. A refresh abandoned by a new epoch ends its waiters with `ended`; any other failure
 * becomes a {@link RefreshError} (spent tokens redacted from its cause), the session's last error and a
 * `refresherror` event. A machine session's backoff learns of every outcome.
 */
export async function refreshSession(host: SessionRefreshHost, reason: RefreshReason, claims: string | undefined): Promise<CredentialGrant> {
	const {tokens, settings} = host;
	const {epoch} = tokens;
	const trigger = tokens.holding;
	// Made now, in the context of the request that started this refresh (Cloudflare Workers: see Lifetime).
	const lifetime = host.lifetime();
	try {
		if (!settings.refresh) {
			throw new RefreshError('REFRESH_UNAVAILABLE');
		}
		// Only a machine session holding no refresh token spends nothing another holder could spend too.
		const alone = settings.machine !== undefined && tokens.holding?.held.set.refreshToken === undefined;
		const grant = await runLockedRefresh({
			refresh: settings.refresh,
			reason,
			claims,
			timeout: settings.refreshTimeout,
			store: settings.store,
			scope: host.scope,
			signal: lifetime.signal,
			alone,
			plan: async () => planRefresh(host, reason, epoch, trigger, alone),
		});
		settings.machine?.succeeded();
		return grant;
	} catch (error) {
		if (epoch !== tokens.epoch) {
			return ENDED;
		}
		const failure = error instanceof RefreshError ? error : new RefreshError('REFRESH_FAILED', {cause: redactError(error, [trigger?.held.set.accessToken, trigger?.held.set.refreshToken])});
		settings.machine?.failed(failure, settings.now());
		tokens.error = failure;
		host.events.emit('refresherror', failure);
		throw failure;
	} finally {
		lifetime.release();
	}
}
