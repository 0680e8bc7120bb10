/**
 * Where `dpop()` keeps its key pair, so that the key a token was bound to outlives the page or process that
 * made it. `dpop()` calls {@link DPoPKeyStore.load | load} once, before its first proof; when it finds no pair,
 * it generates one and calls {@link DPoPKeyStore.save | save} once, then signs with the pair `save` returned.
 *
 * Made by {@link memoryKeys} (the default outside browsers) and {@link indexedDbKeys} (the default where
 * `indexedDB` exists); implement it yourself to keep the key elsewhere (a store must keep `CryptoKey` objects
 * as they are: a non-extractable private key cannot be serialised, only structured-cloned).
 *
 * @example
 * ```ts
 * let kept: CryptoKeyPair | undefined;
 * const keys: DPoPKeyStore = {
 * 	load: async () => kept,
 * 	save: async pair => (kept ??= pair),
 * };
 * ```
 */
export interface DPoPKeyStore {
	/** The stored key pair, or `undefined` when there is none yet. */
	load(): Promise<CryptoKeyPair | undefined>;
	/**
	 * Stores `pair` unless a pair is stored already, and returns the pair that is stored now: `pair`, or the one
	 * another holder (a tab, a replica) stored first. Must be atomic where several holders share the store.
	 */
	save(pair: CryptoKeyPair): Promise<CryptoKeyPair>;
}

/**
 * A key store in memory: the key pair lives as long as the store object. The default of `dpop()` where there
 * is no `indexedDB` (Node, workers without it): each process then has its own key, and the tokens it gets are
 * bound to it. Share one `memoryKeys()` between `dpop()` instances of one process to share their key.
 *
 * @example
 * ```ts
 * import { dpop, memoryKeys } from 'ky-auth/dpop';
 *
 * const keys = memoryKeys();
 * const api = dpop({ keys });
 * const reports = dpop({ keys }); // the same key pair as `api`
 * ```
 */
export function memoryKeys(): DPoPKeyStore {
	let stored: CryptoKeyPair | undefined;
	return Object.freeze({
		load: () => Promise.resolve(stored),
		save: (pair: CryptoKeyPair) => {
			stored ??= pair;
			return Promise.resolve(stored);
		},
	});
}
