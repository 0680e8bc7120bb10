import {StoreError} from '../errors/store-error.js';
import type {TokenStore} from '../types/store.js';
import type {TokenSet} from '../types/tokens.js';
import {isTokenSet} from './token-set.js';
import {bounded} from '../utils/bounded.js';

function isThenable(value: unknown): value is PromiseLike<unknown> {
	return typeof (value as {then?: unknown} | null)?.then === 'function';
}

/** Anything that is not a valid TokenSet reads as signed out. */
function sanitize(value: unknown): TokenSet | null {
	return isTokenSet(value) ? value : null;
}

/**
 * The session's access to its {@link TokenStore}: synchronous stores are read synchronously, failures
 * become {@link StoreError}, garbage reads as `null`, and the first read happens once.
 */
export class TokenStoreAccess {
	readonly #store: TokenStore;
	#loaded = false;
	#loading: Promise<void> | undefined;

	readonly #timeout: number;
	readonly #apply: (tokens: TokenSet | null) => void;
	/** Counts the session's own writes. */
	#version = 0;

	/**
	 * @param timeout - Bounds the first asynchronous read, so a store that never answers cannot hang requests.
	 * @param apply - Receives the tokens read first, and again whenever the store reports a change from elsewhere.
	 */
	constructor(store: TokenStore, timeout: number, apply: (tokens: TokenSet | null) => void) {
		this.#store = store;
		this.#timeout = timeout;
		this.#apply = apply;
		store.subscribe?.(() => {
			// A change reported before our own later write settles is stale: skip it.
			const version = this.#version;
			this.read().then(tokens => {
				if (version === this.#version) {
					apply(tokens);
				}
			}, () => undefined);
		});
	}

	/** Whether the store has been read once (or the session set its tokens itself). */
	get loaded(): boolean {
		return this.#loaded;
	}

	markLoaded(): void {
		this.#loaded = true;
	}

	/**
	 * Reads the store once. Returns `undefined` when done synchronously, else the pending read.
	 * A value that arrives after the session signed in or out (which marks it loaded) is ignored.
	 */
	load(): Promise<void> | undefined {
		if (this.#loaded) {
			return undefined;
		}
		if (this.#loading) {
			return this.#loading;
		}
		let value: unknown;
		try {
			value = this.#store.get();
		} catch (error) {
			return Promise.reject(new StoreError('STORE_READ_FAILED', error));
		}
		if (!isThenable(value)) {
			this.#loaded = true;
			this.#apply(sanitize(value));
			return undefined;
		}
		const read = bounded(Promise.resolve(value), {timeout: this.#timeout});
		this.#loading = read.then(
			resolved => {
				if (!this.#loaded) {
					this.#loaded = true;
					this.#apply(sanitize(resolved));
				}
			},
			(error: unknown) => {
				throw new StoreError('STORE_READ_FAILED', error);
			},
		).finally(() => {
			this.#loading = undefined;
		});
		return this.#loading;
	}

	/** Reads the store now, sanitised. */
	async read(): Promise<TokenSet | null> {
		try {
			return sanitize(await this.#store.get());
		} catch (error) {
			throw new StoreError('STORE_READ_FAILED', error);
		}
	}

	/** Writes the store; a failure becomes a {@link StoreError}. */
	async write(tokens: TokenSet | null): Promise<void> {
		this.#version++;
		try {
			await this.#store.set(tokens);
		} catch (error) {
			throw new StoreError('STORE_WRITE_FAILED', error);
		}
	}
}
