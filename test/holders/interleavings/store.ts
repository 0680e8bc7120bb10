/**
 * The store the holders of the interleavings property share: a memoryStore whose writes fail on command, whose
 * answers (asynchronous mode) come when fast-check's scheduler releases them, and whose next write may be hit by
 * a fault: never answered (landed or not), or answered (and landed) only after the session gave up on it. Every
 * refresh commit is checked against invariant 5 as it lands, and every task run inside the lock is tracked.
 */
import {memoryStore, type TokenRecord, type TokenRecordVersion, type TokenSet, type TokenStore} from '../../../src/index.js';
import {commitTimeout} from '../../../src/session/store/writes-in-flight.js';
import {knownBugs, type KnownBug} from './known-bugs.js';
import {idOfRecord, show, type TokenId} from './server.js';

/**
 * A fault of the next store write (`set` or `compareAndSet`), once:
 * - `unanswered`: it never lands and never answers;
 * - `landsUnanswered`: it lands (when released) but never answers;
 * - `late`: it lands and answers `lateBy` fake ms after the session's bound for it (`refreshTimeout` for a
 *   `set`, the longer of it and 30 s for a commit), i.e. after the session gave up on it.
 */
export type WriteFault =
	| {readonly kind: 'unanswered'}
	| {readonly kind: 'landsUnanswered'}
	| {readonly kind: 'late'; readonly lateBy: number};

/** How the shared memoryStore answers. */
export interface StoreMode {
	/** Reads and writes answer later, released by the scheduler (as IndexedDB or Redis would); writes land then. */
	readonly async: boolean;
	/** Whether holders share the store's lock (off only to show that the property catches it). */
	readonly lock: boolean;
}

/** What the world needs from a scheduler (fast-check's). */
export interface Releases {
	schedule<T>(task: Promise<T>, label?: string): Promise<T>;
}

/** What the store reports to the world it belongs to. */
export interface StoreJournal {
	readonly violations: string[];
	/** The world's logical clock (one tick per event). */
	tick(): number;
	/** When each sign-in's signIn ran, by family. */
	readonly signedInAt: ReadonlyMap<number, number>;
	/** When the refresh call that obtained an access token started, by that token. */
	readonly obtainedBy: ReadonlyMap<string, number>;
	/** Tracks a promise that must settle (invariant 4). */
	track(label: string, promise: Promise<unknown>, bounded: boolean): void;
	/** Symptoms of known bugs, set apart while quarantined (see known-bugs.ts). */
	readonly known: string[];
	/** Whether the symptoms of this known bug are set apart. */
	quarantined(bug: KnownBug): boolean;
}


const never = new Promise<never>(() => undefined);

export class SharedStore {
	readonly inner = memoryStore();
	/** Tokens of records whose store write failed (what a failed write kept out of the store). */
	readonly failedWrites: TokenId[] = [];
	/** Store writes (set or compareAndSet) that failed, records or `null`. */
	writeFailures = 0;
	failWrites = false;
	/** Calls into `set` so far; which of them landed, and the last one that landed. */
	setCalls = 0;
	readonly landedSets = new Set<number>();
	lastLandedSet = -1;
	/** Faults applied so far, for a failing run's log. */
	readonly faultLog: string[] = [];
	/** Whether a sign-out was undone by a known bug (quarantined: known-bugs.ts). */
	knownUndo = false;
	readonly #mode: StoreMode;
	readonly #releases: Releases;
	readonly #journal: StoreJournal;
	readonly #refreshTimeout: number;
	#nextFault: WriteFault | undefined;
	#lockTasks = 0;
	/** When what is stored now was written by a sign-out (`undefined`: it was not). */
	#signedOutAt: number | undefined;

	constructor(mode: StoreMode, releases: Releases, journal: StoreJournal, refreshTimeout: number) {
		this.#mode = mode;
		this.#releases = releases;
		this.#journal = journal;
		this.#refreshTimeout = refreshTimeout;
	}

	/** The next write is hit by `fault` (asynchronous mode only: a synchronous store answers at once). */
	faultNextWrite(fault: WriteFault): void {
		if (this.#mode.async) {
			this.#nextFault = fault;
		}
	}

	/** What the store holds now. */
	stored(): TokenId | null {
		const value = this.inner.get() as TokenRecord | TokenSet | null;
		if (value instanceof Promise) {
			throw new TypeError('memoryStore.get() is synchronous');
		}
		return idOfRecord(value);
	}

	/** The store as holder `holder` sees it (its calls into the lock are told apart in the log). */
	storeFor(holder: number): TokenStore {
		const {inner} = this;
		const {lock, subscribe} = inner;
		if (!lock || !subscribe) {
			throw new TypeError('memoryStore has lock and subscribe');
		}
		const store: TokenStore = this.#mode.async
			? {
				get: async () => {
					await this.#answer('store get');
					return inner.get();
				},
				set: async record => {
					const call = this.setCalls++;
					return this.#write(`store set #${call} of holder ${holder}`, this.#refreshTimeout, () => {
						this.#set(record, call);
					});
				},
				compareAndSet: async (expected, next) =>
					this.#write(`store compareAndSet of holder ${holder}`, Math.max(this.#refreshTimeout, commitTimeout), () => this.#commit(expected, next)),
				subscribe: listener => subscribe(listener),
			}
			: {
				get: () => inner.get(),
				set: record => {
					this.#set(record, this.setCalls++);
				},
				compareAndSet: (expected, next) => this.#commit(expected, next),
				subscribe: listener => subscribe(listener),
			};
		if (this.#mode.lock) {
			store.lock = async <T>(task: () => Promise<T>, signal: AbortSignal) => lock(async () => {
				// Whatever runs inside the lock must end: a task that never does holds every holder's refresh back.
				const running = task();
				this.#journal.track(`lock task #${this.#lockTasks++} of holder ${holder}`, running, false);
				return running;
			}, signal);
		}
		return store;
	}

	/** Waits for the scheduler to let a store call answer (asynchronous mode only). */
	async #answer(label: string): Promise<void> {
		if (this.#mode.async) {
			await this.#releases.schedule(Promise.resolve(label), 'store');
		}
	}

	/** An asynchronous write: lands and answers when released, unless the next-write fault says otherwise. */
	async #write<T>(label: string, bound: number, land: () => T): Promise<T> {
		const fault = this.#nextFault;
		this.#nextFault = undefined;
		if (fault) {
			this.faultLog.push(`${label}: ${fault.kind}${fault.kind === 'late' ? ` by ${fault.lateBy} ms` : ''}`);
		}
		switch (fault?.kind) {
			case 'unanswered': {
				return never;
			}
			case 'landsUnanswered': {
				await this.#answer(`${label} (lands, never answered)`);
				try {
					land();
				} catch {
					// A failed write changes nothing; its failure is never reported either.
				}
				return never;
			}
			case 'late': {
				await new Promise<void>(resolve => {
					setTimeout(resolve, bound + fault.lateBy);
				});
				await this.#answer(`${label} (late)`);
				return land();
			}
			case undefined: {
				await this.#answer(label);
				return land();
			}
		}
	}

	#failIfDown(record: TokenRecord | null): void {
		if (this.failWrites) {
			this.writeFailures++;
			const id = record && idOfRecord(record);
			if (id) {
				this.failedWrites.push(id);
			}
			throw new Error('the store is down');
		}
	}

	#set(record: TokenRecord | null, call: number): void {
		this.#failIfDown(record);
		void this.inner.set(record); // memoryStore writes synchronously
		this.landedSets.add(call);
		this.lastLandedSet = call;
		this.#signedOutAt = record === null ? this.#journal.tick() : undefined;
	}

	#commit(expected: TokenRecordVersion, next: TokenRecord | null): boolean {
		this.#failIfDown(next);
		const before = this.stored();
		if (this.inner.compareAndSet?.(expected, next) !== true) {
			return false;
		}
		this.#checkCommit(before, next);
		if (next !== null) {
			this.#signedOutAt = undefined;
		}
		return true;
	}

	/** A refresh commit landed, replacing `before` with `next` (invariant 5). */
	#checkCommit(before: TokenId | null, next: TokenRecord | null): void {
		const after = next && idOfRecord(next);
		if (!after) {
			return;
		}
		const {violations} = this.#journal;
		if (before && before.family > after.family) {
			violations.push(`a refresh of sign-in ${after.family} was committed over the later sign-in ${before.family}`);
		}
		if (before?.family === after.family && before.generation >= after.generation) {
			violations.push(`a refresh commit replaced ${show(before)} with the older or same ${show(after)}`);
		}
		const signedInAt = this.#journal.signedInAt.get(after.family) ?? 0;
		if (!before && this.#signedOutAt !== undefined && this.#signedOutAt > signedInAt) {
			const started = this.#journal.obtainedBy.get(next.tokens.accessToken);
			const when = started === undefined ? 'not a refresh result' : (started < this.#signedOutAt ? 'a refresh started before it' : 'a refresh started after it');
			const line = `a commit of sign-in ${after.family} (${when}) landed over the later sign-out written at ${this.#signedOutAt}`;
			// A record of a sign-in whose own write failed, written again: a known bug.
			if (this.#journal.quarantined('signOutUndoneByWriteAgain') && started === undefined && this.failedWrites.some(failed => failed.family === after.family)) {
				this.knownUndo = true;
				this.#journal.known.push(`${line} (${knownBugs.signOutUndoneByWriteAgain})`);
			} else {
				violations.push(line);
			}
		}
	}
}
