import type {CredentialGrant} from '../types/credentials.js';
import type {RefreshReason} from '../types/tokens.js';
import {CredentialsGate, type GateDeps} from './credentials-gate.js';

/**
 * The credentials gate of a machine session (`createMachineSession`), which has no sign-in to lose: it obtains a
 * token on demand, with its backoff, where a user session's gate sends nothing or waits. Only
 * `createMachineSession` reaches this file, so a bundle without it carries none of it.
 */
export class MachineGate extends CredentialsGate {
	readonly #deps: GateDeps;

	constructor(deps: GateDeps) {
		super(deps);
		this.#deps = deps;
	}

	/**
	 * The first read of the store failed. A machine session spends nothing shared: it goes on as holding no token
	 * (and follows the store once it answers again), unless the request was aborted.
	 */
	protected override unreadable(error: unknown, signal?: AbortSignal): CredentialGrant | Promise<CredentialGrant> {
		if (signal?.aborted) {
			throw error;
		}
		this.#deps.store.markLoaded();
		return this.acquire(signal);
	}

	/** No token is held: one is obtained. */
	protected override missing(now: number, signal?: AbortSignal): Promise<CredentialGrant> {
		return this.#obtain('initial', now, signal);
	}

	/** The held token must not be sent: the next one is obtained. */
	protected override replace(reason: RefreshReason, now: number, signal?: AbortSignal): Promise<CredentialGrant> {
		return this.#obtain(reason, now, signal);
	}

	/**
	 * A machine session's token: fails fast with the last error while backing off, else waits for the refresh;
	 * a refresh forgotten by a change of record (another replica's token, a cleared store) is followed by the next one.
	 */
	async #obtain(reason: RefreshReason, now: number, signal?: AbortSignal): Promise<CredentialGrant> {
		const blocking = this.#deps.settings.machine?.blocking(now);
		if (blocking) {
			throw blocking;
		}
		const grant = await this.#deps.refreshes.wait(reason, signal);
		return grant.kind === 'ended' && !this.#deps.disposed() ? this.acquire(signal) : grant;
	}
}
