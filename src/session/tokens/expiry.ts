import type {HeldTokens} from './held-tokens.js';

/** Whether the access token has expired at `now` (an opaque token never expires by the clock). */
export function isExpired(tokens: HeldTokens, now: number): boolean {
	return tokens.expiresAt !== null && now >= tokens.expiresAt;
}

/**
 * When the proactive refresh window opens (epoch ms), or `null` for a token without expiry. The window is
 * capped at half the lifetime the token had when it arrived, so a token living less than twice the window is
 * not refreshed on every request.
 */
export function renewalDueAt(tokens: HeldTokens, refreshWindow: number): number | null {
	if (tokens.expiresAt === null) {
		return null;
	}
	const lifetime = Math.max(0, tokens.expiresAt - tokens.receivedAt);
	return tokens.expiresAt - Math.min(refreshWindow, lifetime / 2);
}

/** Whether `now` is inside the proactive refresh window (see {@link renewalDueAt}). */
export function isExpiring(tokens: HeldTokens, now: number, refreshWindow: number): boolean {
	const dueAt = renewalDueAt(tokens, refreshWindow);
	return dueAt !== null && now >= dueAt;
}
