import {dev} from '../../utils/dev.js';
import {invalid, isRecord} from '../../utils/validate.js';
import {dpopAlgorithms, isDPoPAlgorithm, type DPoPAlgorithm} from './algorithms.js';
import {indexedDbKeys} from './indexed-db-keys.js';
import {dpopKeyOf, type DPoPKey} from './key-pair.js';
import {memoryKeys, type DPoPKeyStore} from './key-store.js';

/** Options of `dpop()`. */
export interface DPoPOptions {
	/**
	 * Where the key pair is kept (loaded before the first proof; a new pair is generated and saved only when
	 * the store has none). A pair loaded from the store keeps its own algorithm, whatever {@link algorithm} says.
	 * Not together with {@link keyPair}.
	 * @default indexedDbKeys() where `indexedDB` exists (browsers), else memoryKeys()
	 */
	keys?: DPoPKeyStore | undefined;
	/**
	 * A key pair the application already holds, used as it is (nothing is generated or stored): for replicas
	 * of a service that share one key, or a key kept in a platform keystore. The private key must be able to
	 * `sign`; make it non-extractable where you can. The public key must be extractable. Not together with {@link keys}.
	 */
	keyPair?: CryptoKeyPair | undefined;
	/**
	 * The algorithm of the key pair `dpop()` generates. Check which ones your servers accept (their metadata's
	 * `dpop_signing_alg_values_supported`).
	 * @default 'ES256'
	 */
	algorithm?: DPoPAlgorithm | undefined;
	/**
	 * Whether a proof's `iat` follows the server's clock, as estimated from the `Date` of its responses, rather
	 * than the local clock: a device whose clock is minutes off still gets its proofs accepted. `false` uses the
	 * local clock as it is.
	 * @default true
	 */
	clockOffset?: boolean | undefined;
}

/** Where the key pair comes from: a store (with the algorithm of new keys), or a fixed pair. */
export type KeySource = {readonly kind: 'store'; readonly keys: DPoPKeyStore; readonly algorithm: DPoPAlgorithm} | {readonly kind: 'fixed'; readonly key: DPoPKey};

/** The options of `dpop()`, validated. */
export interface DPoPSettings {
	readonly source: KeySource;
	readonly clockOffset: boolean;
}

const where = 'dpop';

function isKeyStore(value: unknown): value is DPoPKeyStore {
	return isRecord(value) && typeof value.load === 'function' && typeof value.save === 'function';
}

/** Validates `dpop()`'s options eagerly: a wrong option throws a `TypeError` at start-up, not at the first proof. */
export function readDPoPOptions(options: DPoPOptions | undefined): DPoPSettings {
	if (options !== undefined && !isRecord(options)) {
		invalid(`${where}: options`, dev ? 'an object (or nothing)' : '', options);
	}
	const algorithm: unknown = options?.algorithm ?? 'ES256';
	if (!isDPoPAlgorithm(algorithm)) {
		invalid(`${where}: options.algorithm`, dev ? `one of ${dpopAlgorithms.map(name => `'${name}'`).join(', ')}` : '', algorithm);
	}
	const clockOffset: unknown = options?.clockOffset ?? true;
	if (typeof clockOffset !== 'boolean') {
		invalid(`${where}: options.clockOffset`, 'a boolean', clockOffset);
	}
	const keys: unknown = options?.keys;
	if (keys !== undefined && !isKeyStore(keys)) {
		invalid(`${where}: options.keys`, dev ? 'a key store ({load, save}: memoryKeys(), indexedDbKeys() or your own)' : '', keys);
	}
	if (options?.keyPair !== undefined) {
		if (keys !== undefined) {
			throw new TypeError(`${where}: options: expected keys or keyPair, got both (a fixed keyPair is never stored)`);
		}
		const key = dpopKeyOf(`${where}: options.keyPair`, options.keyPair);
		if (options.algorithm !== undefined && options.algorithm !== key.algorithm) {
			throw new TypeError(`${where}: options.algorithm: expected the algorithm of options.keyPair (${key.algorithm}), got '${algorithm}'`);
		}
		return {source: {kind: 'fixed', key}, clockOffset};
	}
	const store = keys ?? (typeof indexedDB === 'undefined' ? memoryKeys() : indexedDbKeys());
	return {source: {kind: 'store', keys: store, algorithm}, clockOffset};
}
