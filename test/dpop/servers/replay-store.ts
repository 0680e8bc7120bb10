/**
 * The `jti` values one server has seen in proofs whose signature verified (RFC 9449 §11.1). A server keeps
 * its own store, so the same proof sent to two servers is a replay at neither (its `htu` fails instead).
 */
export interface ReplayStore {
	/** Records `jti`; returns `true` when it had been seen before. */
	remember(jti: string): boolean;
	/** How many distinct `jti` values were seen. */
	readonly size: number;
}

/** An in-memory replay store (a test server lives for one test; nothing is ever evicted). */
export function createReplayStore(): ReplayStore {
	const seen = new Set<string>();
	return {
		remember(jti: string) {
			if (seen.has(jti)) return true;
			seen.add(jti);
			return false;
		},
		get size() {
			return seen.size;
		},
	};
}
