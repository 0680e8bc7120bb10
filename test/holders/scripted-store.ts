import {createAuthSession, memoryStore, type AuthSession, type RefreshFunction, type TokenRecord, type TokenSet, type TokenStore} from '../../src/index.js';

/** What can be held back: a store call (it lands when released) or an answer of the refresh function. */
export type HeldKind = 'get' | 'set' | 'compareAndSet' | 'refresh';

/** One held call, waiting to be released by {@link ScriptedWorld}. */
export interface HeldCall {
	readonly kind: HeldKind;
	/** Whose call it is: the name given to {@link ScriptedWorld.storeFor} (`''` for `store`, and for the refresh function). */
	readonly holder: string;
	/** Whether a `set` was held back when this call was made (a read made then may answer from before it). */
	readonly afterUnlandedSet: boolean;
	release(): void;
}

/** The order of release: the held call ranked lowest goes first (ties: the oldest first). */
export type Policy = (call: HeldCall) => number;

/** Which held call of a kind {@link ScriptedWorld.release} lets go. */
export interface Pick {
	/** The oldest (default) or the newest. */
	readonly which?: 'oldest' | 'newest';
	/** Only calls of this holder. */
	readonly holder?: string;
}

/** One turn of the event loop (fake time is not used here: nothing waits on a timer). */
async function turn(): Promise<void> {
	await new Promise<void>(resolve => {
		setImmediate(resolve);
	});
}

/** Lets the event loop run: a bound on what can move on its own, not a wait for time. */
async function settle(): Promise<void> {
	for (let index = 0; index < 5; index++) {
		await turn();
	}
}

/** See {@link scriptedWorld}. */
export type ScriptedWorld = ReturnType<typeof scriptedWorld>;

/**
 * A memoryStore behind an asynchronous interface whose every call, and every answer of the refresh function,
 * can be held back and released one at a time in an order the test chooses (as the property test's scheduler
 * does): a deterministic replay of an interleaving the property found. A call reads or writes the store when it
 * is released. While holding is off, calls land at once. The refresh function rotates `rt.<n>` into generation
 * n+1 and answers `null` without such a refresh token.
 */
export function scriptedWorld() {
	const inner = memoryStore();
	const {lock, subscribe, compareAndSet} = inner;
	if (!lock || !subscribe || !compareAndSet) {
		throw new TypeError('memoryStore has lock, subscribe and compareAndSet');
	}
	const held: HeldCall[] = [];
	let holding = false;
	let failNext = false;
	const failIfAsked = (): void => {
		if (failNext) {
			failNext = false;
			throw new Error('the store is down');
		}
	};
	const later = async <T>(kind: HeldKind, holder: string, run: () => T): Promise<T> => {
		if (!holding) {
			return run();
		}
		const afterUnlandedSet = held.some(call => call.kind === 'set');
		return new Promise<T>((resolve, reject) => {
			held.push({
				kind,
				holder,
				afterUnlandedSet,
				release() {
					try {
						resolve(run());
					} catch (error) {
						reject(error as Error);
					}
				},
			});
		});
	};
	const release = (call: HeldCall | undefined): boolean => {
		if (call === undefined) {
			return false;
		}
		held.splice(held.indexOf(call), 1);
		call.release();
		return true;
	};
	/** The shared store as one holder sees it: its calls are told apart by `holder`. */
	const storeFor = (holder: string): TokenStore => ({
		get: async () => later('get', holder, () => inner.get()),
		set: async record => later('set', holder, () => {
			failIfAsked();
			void inner.set(record);
		}),
		compareAndSet: async (expected, next) => later('compareAndSet', holder, () => {
			failIfAsked();
			return compareAndSet(expected, next);
		}),
		subscribe: listener => subscribe(listener),
		lock: async <T>(task: () => Promise<T>, signal: AbortSignal) => lock(task, signal),
	});
	/** Refresh tokens presented, in order (`undefined`: none). */
	const presented: Array<string | undefined> = [];
	const refresh: RefreshFunction = async ({tokens}) => later('refresh', '', (): TokenSet | null => {
		presented.push(tokens?.refreshToken);
		const match = /^rt\.(\d+)$/.exec(tokens?.refreshToken ?? '');
		if (!match) {
			return null;
		}
		const generation = Number(match[1]) + 1;
		return {accessToken: `at.${generation}`, refreshToken: `rt.${generation}`, expiresIn: 3600};
	});
	return {
		store: storeFor(''),
		storeFor,
		/** A session (a holder) named `holder` on this world's store and refresh function. */
		sessionFor: (holder: string): AuthSession => createAuthSession({store: storeFor(holder), refresh}),
		refresh,
		presented,
		/** What the store holds now (memoryStore holds records, read synchronously). */
		stored: () => inner.get() as TokenRecord | null,
		/** From now on, calls wait to be released. */
		hold(): void {
			holding = true;
		},
		/** The next write (`set` or `compareAndSet`) fails when it lands, changing nothing. */
		failNextWrite(): void {
			failNext = true;
		},
		/** How many calls of `kind` are held now. */
		held: (kind: HeldKind): number => held.filter(call => call.kind === kind).length,
		settle,
		/** Lets the event loop run, then releases one held call of `kind` (see {@link Pick}); false when none is held. */
		async release(kind: HeldKind, pick: Pick = {}): Promise<boolean> {
			await settle();
			const calls = held.filter(call => call.kind === kind && (pick.holder === undefined || call.holder === pick.holder));
			return release(pick.which === 'newest' ? calls.at(-1) : calls.at(0));
		},
		/** Lets the event loop run, then releases the held call `policy` ranks first; false when none is held. */
		async step(policy: Policy): Promise<boolean> {
			await settle();
			let best: HeldCall | undefined;
			for (const call of held) {
				if (best === undefined || policy(call) < policy(best)) {
					best = call;
				}
			}
			return release(best);
		},
		/** Releases held calls oldest first until none is left (at most `bound`); how many it released. */
		async drain(bound = 50): Promise<number> {
			let released = 0;
			while (released < bound && await this.step(() => 0)) {
				released++;
			}
			return released;
		},
	};
}
