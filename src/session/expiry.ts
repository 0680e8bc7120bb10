import type {HeldTokens} from './held-tokens.js';

/** Whether the access token has expired at `now` (an opaque token never expires by the clock). */
export function isExpired(tokens: HeldTokens, now: number): boolean {
	return tokens.expiresAt !== null && now >= tokens.expiresAt;
}

/**
 * Whether `now` is inside the proactive refresh window. The window is capped at half the lifetime
 * the token had when it arrived, so a token living less than twice the window is not refreshed on
 * every request.
 */
export function isExpiring(tokens: HeldTokens, now: number, refreshWindow: number): boolean {
	if (tokens.expiresAt === null) {
		return false;
	}
	const lifetime = Math.max(0, tokens.expiresAt - tokens.receivedAt);
	return now >= tokens.expiresAt - Math.min(refreshWindow, lifetime / 2);
}
