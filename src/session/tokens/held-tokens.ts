import type {TokenSet} from '../../types/tokens.js';
import {jwtExpiry} from './jwt.js';

/** Tokens as a session holds them: normalised, with an absolute expiry and when they arrived. */
export interface HeldTokens {
	/** What is stored: `expiresAt` absolute, no `expiresIn`. */
	readonly set: TokenSet;
	/** Absolute expiry in epoch ms, or `null` for an opaque token without expiry information. */
	readonly expiresAt: number | null;
	/** When these tokens arrived (epoch ms), to size the proactive refresh window. */
	readonly receivedAt: number;
}

/**
 * Normalises a {@link TokenSet} received at `receivedAt`. Expiry comes from `expiresAt`, else
 * `expiresIn` anchored at receipt, else the JWT `exp`, else none.
 */
export function holdTokens(tokens: TokenSet, receivedAt: number, previous?: TokenSet): HeldTokens {
	const computed = tokens.expiresAt
		?? (tokens.expiresIn === undefined ? jwtExpiry(tokens.accessToken, receivedAt) : receivedAt + (tokens.expiresIn * 1000));
	const expiresAt = computed !== null && Number.isFinite(computed) ? computed : null;
	const set: TokenSet = {accessToken: tokens.accessToken};
	const refreshToken = tokens.refreshToken ?? previous?.refreshToken;
	if (refreshToken !== undefined) {
		set.refreshToken = refreshToken;
	}
	if (expiresAt !== null) {
		set.expiresAt = expiresAt;
	}
	if (tokens.tokenType !== undefined) {
		set.tokenType = tokens.tokenType;
	}
	if (tokens.scope !== undefined) {
		set.scope = tokens.scope;
	}
	return {set: Object.freeze(set), expiresAt, receivedAt};
}

/**
 * For tokens a refresh returned, judged when they arrived (`arrivedAt`; their expiry stays anchored at the
 * send): an expiry already past by then (a clock that disagrees with the server's, a bogus `expiresAt`, a
 * lifetime that ran out during a slow refresh) is dropped, so the token is refreshed on a 401 instead of on
 * every request — no refresh loop.
 */
export function freshOnly(held: HeldTokens, arrivedAt: number): HeldTokens {
	if (held.expiresAt === null || held.expiresAt > arrivedAt) {
		return held;
	}
	const {expiresAt: _expired, ...set} = held.set;
	return {set: Object.freeze(set), expiresAt: null, receivedAt: held.receivedAt};
}
