import type {CredentialGrant} from '../../types/credentials.js';
import type {TokenRecord} from '../../types/store.js';
import {isExpired, isExpiring} from './expiry.js';
import {ENDED} from './grants.js';
import type {HeldTokens} from './held-tokens.js';

/** A record as one session holds it: the stored record and its tokens with an absolute expiry. */
export interface Holding {
	readonly record: TokenRecord;
	readonly held: HeldTokens;
}

/**
 * The record one session holds, its epoch, the access token the server rejected, and the last refresh
 * error: what a request gets follows from these and the clock. Owned by one session, never shared.
 * The epoch changes whenever the sign-in changes (another `id`, or none): requests of one epoch never get a
 * token of another.
 */
export class TokenState {
	#holding: Holding | null = null;
	#epoch = 0;
	/** What requests get while the held token is usable, made once per token set. */
	#grant: CredentialGrant = ENDED;
	/** The held access token after the server answered 401 to it. */
	#rejected: string | null = null;
	/** The last refresh failure, until tokens change. */
	error: Error | null = null;

	get holding(): Holding | null {
		return this.#holding;
	}

	get held(): HeldTokens | null {
		return this.#holding?.held ?? null;
	}

	get epoch(): number {
		return this.#epoch;
	}

	/** The token to send (`ended` when none is held). */
	get grant(): CredentialGrant {
		return this.#grant;
	}

	/** Holds `holding` (or nothing); another sign-in than the held one starts a new epoch, which it reports. */
	hold(holding: Holding | null): boolean {
		const changed = holding?.record.id !== this.#holding?.record.id;
		if (changed) {
			this.newEpoch();
		}
		this.#holding = holding;
		this.#grant = holding
			? Object.freeze({kind: 'token', token: holding.held.set.accessToken, tokenType: holding.held.set.tokenType, epoch: this.#epoch})
			: ENDED;
		this.#rejected = null;
		return changed;
	}

	/** Starts a new epoch (sign-in, sign-out, another holder's sign-in, dispose): forgets the rejection and the last error. */
	newEpoch(): void {
		this.#epoch++;
		this.#rejected = null;
		this.error = null;
	}

	/** Why the held token must not be sent at `now`, if it must not. */
	unusable(now: number): 'unauthorized' | 'expired' | undefined {
		const held = this.held;
		if (!held) {
			return undefined;
		}
		if (held.set.accessToken === this.#rejected) {
			return 'unauthorized';
		}
		return isExpired(held, now) ? 'expired' : undefined;
	}

	/** Whether a proactive refresh is due at `now`. */
	expiring(now: number, refreshWindow: number): boolean {
		const held = this.held;
		return held !== null && isExpiring(held, now, refreshWindow);
	}

	/** The server answered 401 to `token`: records it when it is the held one. */
	reject(token: string): void {
		if (this.held?.set.accessToken === token) {
			this.#rejected = token;
		}
	}
}
