/** What the bench process and its server child (`server.ts`) exchange over IPC. */

/** How the server behaves after a `reset`. */
export interface ServerConfig {
	/** Added latency of the token endpoint, ms. */
	tokenLatencyMs: number;
	/** Lifetime of the token issued by `reset`, ms. */
	initialLifetimeMs: number;
	/** Lifetime of tokens issued by `POST /token`, seconds (OAuth `expires_in`). */
	refreshedLifetimeS: number;
}

/** The token set `reset` issues, handed to each contender as its initial tokens. */
export interface InitialTokens {
	accessToken: string;
	refreshToken: string;
	expiresAt: number;
}

/** The server's counters since the last `reset` (the `stats` command). */
export interface ServerStats {
	apiRequests: number;
	ok: number;
	unauthorized: number;
	/** Requests that arrived carrying a token past its expiry. */
	expiredSends: number;
	/** Requests that arrived carrying a revoked token (including the ones held at the moment of revocation). */
	revokedSends: number;
	/** Requests without a token the server knows. */
	unknownSends: number;
	tokenCalls: number;
	peakConcurrentTokenCalls: number;
	/** Server time at which the first token expired (expiry scenario), epoch ms. */
	initialExpiresAt: number;
	/** Whether the storm gate released on its safety timeout instead of on count. */
	gateTimedOut: boolean;
	gateHeld: number;
	/** Server time of the revocation, epoch ms (0 when none). */
	revokedAt: number;
}

/** A command to the server; it answers `{id, result}`. */
export type Command =
	| {id: number; type: 'reset'; config: ServerConfig}
	| {id: number; type: 'arm'; hold: number; timeoutMs: number}
	| {id: number; type: 'revoke'}
	| {id: number; type: 'stats'};
