import type {ReplayStore} from './replay-store.js';

/**
 * Counters of a DPoP test server, live (read them after the requests settle). `rejections` is keyed by
 * reason: a {@link ProofFailure} of the proof, or a server-side reason (see each server's docs).
 */
export interface ServerStats {
	/** Every request the server received. */
	requests: number;
	/** Requests answered with success (200 on resources, an issued token at the token endpoint). */
	accepted: number;
	/** Refused requests by reason, e.g. `{htm: 1, 'nonce-missing': 2}`. */
	readonly rejections: Record<string, number>;
	/** Signature-valid proofs whose `jti` had been seen before (whatever reason decided the answer). */
	replays: number;
	/** Distinct `jti` values among signature-valid proofs. */
	readonly distinctJtis: number;
}

/** Fresh counters whose `distinctJtis` reads the server's replay store. */
export function createStats(replay: ReplayStore): ServerStats {
	return {
		requests: 0,
		accepted: 0,
		rejections: {},
		replays: 0,
		get distinctJtis() {
			return replay.size;
		},
	};
}

/** Counts one rejection for `reason`. */
export function countRejection(stats: ServerStats, reason: string): void {
	stats.rejections[reason] = (stats.rejections[reason] ?? 0) + 1;
}
