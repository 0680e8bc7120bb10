import type {CredentialGrant, RejectionChallenge, SessionCredentials, TokenGrant} from '../types/credentials.js';
import type {RefreshReason} from '../types/tokens.js';
import {bounded} from '../utils/bounded.js';
import {ENDED, NONE} from './tokens/grants.js';
import type {SessionCore} from './session-core.js';

/** What the gate uses of its session's {@link SessionCore}. */
export type GateDeps = Pick<SessionCore, 'tokens' | 'settings' | 'store' | 'refreshes' | 'scope' | 'disposed'>;

/**
 * A session's side of {@link SessionCredentials}: what a request gets (the token, a wait for the refresh, or
 * nothing) and what a 401 leads to within the request's epoch. A claims challenge of a 401 waits here for the
 * refresh it asks for. A machine session's gate (machine-gate.ts, reached only from `createMachineSession`)
 * overrides how a token is obtained: `unreadable`, `missing` and `replace`. The rules that differ inside a
 * request's life stay here, on `settings.machine`: backing off before a background refresh, and a 401 across a
 * change of record (a machine session takes the new token; a user session never crosses a change of sign-in).
 */
export class CredentialsGate implements SessionCredentials {
	readonly #deps: GateDeps;
	/** A claims challenge waiting for the refresh it asked for (taken by the next refresh that starts). */
	#claims: string | undefined;

	constructor(deps: GateDeps) {
		this.#deps = deps;
	}

	insideRefresh(): boolean {
		return this.#deps.scope.active();
	}

	/** Takes the claims challenge waiting for the refresh that starts now, if any. */
	takeClaims(): string | undefined {
		const claims = this.#claims;
		this.#claims = undefined;
		return claims;
	}

	/** Synchronous when the store is loaded and the token is usable: no promise on the hot path. */
	acquire(signal?: AbortSignal): CredentialGrant | Promise<CredentialGrant> {
		const loading = this.#deps.store.load();
		if (loading) {
			return bounded(loading, {signal}).then(() => this.#acquireLoaded(signal), (error: unknown) => this.unreadable(error, signal));
		}
		return this.#acquireLoaded(signal);
	}

	/**
	 * The first read of the store failed: a user session fails the request (a machine session goes on without:
	 * machine-gate.ts).
	 */
	protected unreadable(error: unknown, _signal?: AbortSignal): CredentialGrant | Promise<CredentialGrant> {
		throw error;
	}

	#acquireLoaded(signal?: AbortSignal): CredentialGrant | Promise<CredentialGrant> {
		signal?.throwIfAborted();
		const tokens = this.#deps.tokens;
		if (this.#deps.disposed()) {
			return ENDED;
		}
		const now = this.#deps.settings.now();
		if (!tokens.held) {
			return this.missing(now, signal);
		}
		const unusable = tokens.unusable(now);
		if (unusable) {
			if (!this.#deps.settings.refresh) {
				return ENDED;
			}
			return this.replace(unusable, now, signal);
		}
		if (this.#deps.settings.refresh && tokens.expiring(now, this.#deps.settings.refreshWindow) && !this.#deps.settings.machine?.blocking(now)) {
			this.#deps.refreshes.background();
		}
		return tokens.grant;
	}

	/** No token is held: a user session sends the request without credentials (a machine session obtains one). */
	protected missing(_now: number, _signal?: AbortSignal): CredentialGrant | Promise<CredentialGrant> {
		return NONE;
	}

	/** The held token must not be sent (`reason`): the request waits for the refresh that replaces it. */
	protected replace(reason: RefreshReason, _now: number, signal?: AbortSignal): CredentialGrant | Promise<CredentialGrant> {
		return this.#deps.refreshes.wait(reason, signal);
	}

	async rejected(grant: TokenGrant, signal?: AbortSignal, challenge?: RejectionChallenge): Promise<CredentialGrant> {
		const claims = challenge?.claims;
		const {epoch} = grant;
		if (this.#deps.disposed()) {
			return ENDED;
		}
		if (epoch !== this.#deps.tokens.epoch) {
			// A machine session has one identity: its next token is as good as the rejected one's successor.
			return this.#deps.settings.machine ? this.acquire(signal) : ENDED;
		}
		if (!this.#deps.settings.refresh && this.#deps.tokens.held?.set.accessToken === grant.token) {
			return NONE;
		}
		if (claims !== undefined && this.#deps.tokens.held?.set.accessToken === grant.token) {
			this.#claims = claims;
		}
		this.#deps.tokens.reject(grant.token);
		const next = await this.acquire(signal);
		return next.kind === 'token' && next.epoch !== epoch && !this.#deps.settings.machine ? ENDED : next;
	}
}
