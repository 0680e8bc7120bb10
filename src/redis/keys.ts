/** The Redis names of one token record: all in one hash slot (they share the hash tag `{key}`). */
export interface RecordKeys {
	/** The record, as JSON. */
	readonly record: string;
	/** The lock: its value is the current holder's owner value. */
	readonly lock: string;
	/** The pub/sub channel: 'changed' after every write, 'released' after every release of the lock. */
	readonly channel: string;
}

/**
 * The names of the record `key` under `prefix`: `<prefix>{<key>}:record`, `…:lock` and `…:changes`. On Redis
 * Cluster only the part between braces is hashed, so the record and its lock live in the same slot and the
 * scripts that touch both run on one node. `key` and `prefix` never contain braces (validated by the store).
 */
export function recordKeys(prefix: string, key: string): RecordKeys {
	const base = `${prefix}{${key}}`;
	return {record: `${base}:record`, lock: `${base}:lock`, channel: `${base}:changes`};
}
