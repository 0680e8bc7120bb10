import type {TokenSet} from '../types/tokens.js';
import {isExpired, isExpiring} from './expiry.js';
import {freshOnly, holdTokens, sameTokens, type HeldTokens} from './held-tokens.js';
import {ENDED, type Acquired} from './internals.js';
import {isTokenSet} from './token-set.js';

/**
 * The tokens one session holds, the access token the server rejected, and the last refresh error:
 * what a request gets follows from these and the clock. Owned by one session, never shared.
 */
export class TokenState {
	#held: HeldTokens | null = null;
	/** What requests get while the held token is usable, made once per token set. */
	#grant: Acquired = ENDED;
	/** The held access token after the server answered 401 to it. */
	#rejected: string | null = null;
	/** The last refresh failure, until tokens change. */
	error: Error | null = null;

	get held(): HeldTokens | null {
		return this.#held;
	}

	/** The token to send (`ended` when none is held). */
	get grant(): Acquired {
		return this.#grant;
	}

	/** Holds `held` (or nothing); a new token is not rejected. */
	hold(held: HeldTokens | null): void {
		this.#held = held;
		this.#grant = held ? {kind: 'token', token: held.set.accessToken, tokenType: held.set.tokenType} : ENDED;
		this.#rejected = null;
	}

	/** Forgets a rejection and the last error (a new epoch of the session). */
	forgetFailures(): void {
		this.#rejected = null;
		this.error = null;
	}

	/** Why the held token must not be sent at `now`, if it must not. */
	unusable(now: number): 'unauthorized' | 'expired' | undefined {
		const held = this.#held;
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
		return this.#held !== null && isExpiring(this.#held, now, refreshWindow);
	}

	/** The server answered 401 to `token`: records it when it is the held one, and says so. */
	reject(token: string): boolean {
		if (this.#held?.set.accessToken !== token) {
			return false;
		}
		this.#rejected = token;
		return true;
	}

	/** Holds the tokens a refresh returned at `receivedAt` (an already-past expiry is dropped: no refresh loop). */
	accept(tokens: TokenSet, receivedAt: number): HeldTokens {
		const held = freshOnly(holdTokens(tokens, receivedAt, this.#held?.set));
		this.hold(held);
		this.error = null;
		return held;
	}

	/** Of what the store holds now: tokens another tab or session stored meanwhile that are still usable. */
	replacement(stored: unknown, now: number): TokenSet | undefined {
		if (!isTokenSet(stored) || stored.accessToken === this.#held?.set.accessToken || stored.accessToken === this.#rejected) {
			return undefined;
		}
		return isExpired(holdTokens(stored, now), now) ? undefined : stored;
	}

	/** Takes tokens read from the store; says whether they differ from the held ones. */
	adopt(value: TokenSet | null, now: number): boolean {
		if (sameTokens(value ?? undefined, this.#held?.set)) {
			return false;
		}
		this.hold(value ? holdTokens(value, now) : null);
		return true;
	}
}
