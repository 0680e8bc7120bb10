import {dev} from '../../utils/dev.js';
import {StoreError} from '../../errors/store-error.js';
import type {TokenRecord, TokenRecordVersion, TokenStore} from '../../types/store.js';
import {bounded} from '../../utils/bounded.js';
import {readRecord} from '../../record/record.js';
import {Behind} from './behind.js';
import {noop} from '../../utils/timers.js';
import {compareAndSet, untilAnswered} from './compare-and-set.js';
import {readFirst, subscribeTo} from './store-calls.js';
import {commitTimeout, UnansweredWrite, WritesInFlight} from './writes-in-flight.js';
import {Lifetime} from '../../utils/lifetime.js';

/**
 * The session's access to its {@link TokenStore}: synchronous stores are read synchronously, failures
 * become {@link StoreError}, anything that is not a record or a TokenSet reads as `null`, the first read
 * happens once, and a refresh commits by compare-and-set (emulated by read-compare-write where the store
 * has no `compareAndSet`: atomic only under the store's lock, as docs/stores.md says).
 */
export class TokenStoreAccess {
	readonly #store: TokenStore;
	readonly #timeout: number;
	readonly #apply: (record: TokenRecord | null, initial: boolean) => void;
	readonly #unsubscribe: () => void;
	#loaded = false;
	#loading: Promise<void> | undefined;
	/** Counts the session's own writes: a change reported before a later write of ours is stale. */
	#ownWrites = 0;
	/** Whether the store is behind this holder (a write of ours failed), and at which version. */
	readonly behind = new Behind();
	/** This holder's writes in flight: a read waits for them first. */
	readonly #writing = new WritesInFlight(() => {
		this.#followDropped();
	});
	/** Whether a change the store reported was dropped for a write of ours (see {@link #follow}). */
	#dropped = false;
	/** Until disposed (stops waiting for the store's lock); no AbortController is made until a write asks for a signal (see Lifetime). */
	readonly #closed = new Lifetime();

	/**
	 * @param timeout - Bounds the first asynchronous read, so a store that never answers cannot hang requests.
	 * @param apply - Receives the record read first (`initial`: the first read, or a read after a change reported
	 * before the first read answered), and again whenever the store reports a change from elsewhere.
	 */
	constructor(store: TokenStore, timeout: number, apply: (record: TokenRecord | null, initial: boolean) => void) {
		this.#store = store;
		this.#timeout = timeout;
		this.#apply = apply;
		this.#unsubscribe = subscribeTo(store, () => {
			this.#follow();
		});
	}

	/**
	 * Reads the store on a change it reported, and applies what it holds, unless a write of ours started
	 * meanwhile: that answer may be from before our write. The change is then read again once no write of ours
	 * is in flight (a write that lands nothing, a compare-and-set that lost or a failure, sends no change report
	 * of its own; a read made after our writes settled never answers from before them).
	 */
	#follow(): void {
		const ownWrites = this.#ownWrites;
		this.read().then(record => {
			if (ownWrites !== this.#ownWrites) {
				this.#dropped = true;
				this.#followDropped();
				return;
			}
			// Read after the change, so newer than a first read still out: that one's answer is dropped.
			const initial = !this.#loaded;
			this.#loaded = true;
			this.#apply(record, initial);
		}, noop);
	}

	/** Reads again a change dropped for a write of ours, once none is in flight. */
	#followDropped(): void {
		if (this.#dropped && this.#writing.idle) {
			this.#dropped = false;
			this.#follow();
		}
	}

	/** Whether the store has been read once (or the session set its tokens itself). */
	get loaded(): boolean {
		return this.#loaded;
	}

	markLoaded(): void {
		this.#loaded = true;
	}

	/** Stops listening to the store (and waiting for its lock to write again). */
	dispose(): void {
		this.#unsubscribe();
		this.#closed.end(new Error(dev ? 'The session was disposed' : ''));
	}

	/**
	 * Reads the store once. Returns `undefined` when done synchronously, else the pending read.
	 * A value that arrives after the session signed in or out (which marks it loaded), or after a read made on a
	 * change the store reported meanwhile (newer), is ignored.
	 */
	load(): Promise<void> | undefined {
		if (this.#loaded) {
			return undefined;
		}
		if (this.#loading) {
			return this.#loading;
		}
		let read: ReturnType<typeof readFirst>;
		try {
			read = readFirst(this.#store, this.#timeout);
		} catch (error) {
			return Promise.reject(new StoreError('STORE_READ_FAILED', error));
		}
		if (!(read instanceof Promise)) {
			this.#loaded = true;
			this.#apply(read.record, true);
			return undefined;
		}
		this.#loading = read.then(record => {
			if (!this.#loaded) {
				this.#loaded = true;
				this.#apply(record, true);
			}
		}).finally(() => {
			this.#loading = undefined;
		});
		return this.#loading;
	}

	/**
	 * Reads the store once this holder's writes in flight have landed (or failed), so the answer is never
	 * from before them. A write of ours that starts while the read is out is the caller's to notice (by epoch or version).
	 */
	async read(): Promise<TokenRecord | null> {
		await this.#writing.settled();
		try {
			return readRecord(await this.#store.get());
		} catch (error) {
			throw new StoreError('STORE_READ_FAILED', error);
		}
	}

	/**
	 * Writes the store unconditionally (sign-in, sign-out), replacing what holds the version `replacing`; a
	 * failure becomes a {@link StoreError} and leaves the store behind this holder.
	 */
	async write(record: TokenRecord | null, replacing: TokenRecordVersion): Promise<void> {
		this.#ownWrites++;
		try {
			await this.#writing.track(this.#store.set(record), this.#timeout);
			this.behind.caughtUp();
		} catch (error) {
			if (!(error instanceof UnansweredWrite)) {
				this.behind.failed(replacing);
			}
			throw new StoreError('STORE_WRITE_FAILED', error, [record?.tokens.accessToken, record?.tokens.refreshToken]);
		}
	}

	/**
	 * Writes `next` only if the stored record still has the version `expected`; resolves whether it wrote. A write
	 * the store does not answer (it may have landed or not) is tried again, with a growing pause, until the store
	 * answers: a compare-and-set that finds its own earlier attempt landed, or anything else stored meanwhile (a
	 * sign-in, a sign-out), resolves `false`, and the caller reads the store again. Neither a change of sign-in here
	 * nor dispose stops it: the refresh token is spent, and until the store answers, the spent generation may still
	 * be what it holds. The pauses do not keep a Node process alive.
	 */
	async commit(expected: TokenRecordVersion, next: TokenRecord | null): Promise<boolean> {
		return untilAnswered(async () => this.#commitOnce(expected, next), error => new StoreError('STORE_WRITE_FAILED', error, [next?.tokens.accessToken, next?.tokens.refreshToken]));
	}

	async #commitOnce(expected: TokenRecordVersion, next: TokenRecord | null): Promise<boolean> {
		this.#ownWrites++;
		try {
			const written = await this.#writing.track(compareAndSet(this.#store, expected, next), Math.max(this.#timeout, commitTimeout));
			if (written) {
				this.behind.caughtUp();
			}
			return written;
		} catch (error) {
			if (!(error instanceof UnansweredWrite)) {
				this.behind.failed(expected);
			}
			throw error;
		}
	}

	/**
	 * Writes `current()` again over the record a failed write of ours should have replaced, inside the store's
	 * lock (when it has one) and only if that is still needed there: a refresh of ours in the lock, planned
	 * against the stale record, commits first (and clears this), so the two never race; a compare-and-set keeps
	 * anything newer stored meanwhile.
	 */
	async writeAgain(current: () => TokenRecord | null): Promise<void> {
		const closed = this.#closed.signal();
		const task = async (): Promise<void> => {
			const behind = this.behind.version;
			if (behind !== undefined) {
				// Inside the lock every holder shares: a dispose of this holder lets it go at once.
				await bounded(this.commit(behind, current()), {signal: closed.signal});
			}
		};
		try {
			await (this.#store.lock ? this.#store.lock(task, closed.signal) : task());
		} finally {
			closed.release();
		}
	}
}
