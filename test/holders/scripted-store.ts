import {memoryStore, type RefreshFunction, type TokenSet, type TokenStore} from '../../src/index.js';

/** What can be held back: a store call (it lands when released) or an answer of the refresh function. */
export type HeldKind = 'get' | 'set' | 'compareAndSet' | 'refresh';

/** One held call, waiting for {@link ScriptedWorld.step} to release it. */
export interface HeldCall {
	readonly kind: HeldKind;
	/** Whether a `set` was held back when this call was made (a read made then may answer from before it). */
	readonly afterUnlandedSet: boolean;
	release(): void;
}

/** The order of release: the held call ranked lowest goes first (ties: the oldest first). */
export type Policy = (call: HeldCall) => number;

/** One turn of the event loop (fake time is not used here: nothing waits on a timer). */
async function turn(): Promise<void> {
	await new Promise<void>(resolve => {
		setImmediate(resolve);
	});
}

/**
 * A memoryStore behind an asynchronous interface whose every call, and every answer of the refresh function,
 * can be held back and released one at a time in an order the test chooses (as the property test's scheduler
 * does): a deterministic replay of an interleaving the property found. While `holding` is off, calls land at once.
 * The refresh function rotates `rt.<n>` into generation n+1 and answers `null` without a refresh token.
 */
export function scriptedWorld() {
	const inner = memoryStore();
	const {lock, subscribe, compareAndSet} = inner;
	if (!lock || !subscribe || !compareAndSet) {
		throw new TypeError('memoryStore has lock, subscribe and compareAndSet');
	}
	const held: HeldCall[] = [];
	const settle = async (): Promise<void> => {
		for (let index = 0; index < 5; index++) {
			await turn();
		}
	};
	let holding = false;
	const later = async <T>(kind: HeldKind, run: () => T): Promise<T> => {
		if (!holding) {
			return run();
		}
		const afterUnlandedSet = held.some(call => call.kind === 'set');
		return new Promise<T>((resolve, reject) => {
			held.push({
				kind,
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
	const store: TokenStore = {
		get: async () => later('get', () => inner.get()),
		set: async record => later('set', () => {
			void inner.set(record);
		}),
		compareAndSet: async (expected, next) => later('compareAndSet', () => compareAndSet(expected, next)),
		subscribe: listener => subscribe(listener),
		lock: async <T>(task: () => Promise<T>, signal: AbortSignal) => lock(task, signal),
	};
	/** Refresh tokens presented, in order (`undefined`: none). */
	const presented: Array<string | undefined> = [];
	const refresh: RefreshFunction = async ({tokens}) => later('refresh', (): TokenSet | null => {
		presented.push(tokens?.refreshToken);
		const match = /^rt\.(\d+)$/.exec(tokens?.refreshToken ?? '');
		if (!match) {
			return null;
		}
		const generation = Number(match[1]) + 1;
		return {accessToken: `at.${generation}`, refreshToken: `rt.${generation}`, expiresIn: 3600};
	});
	return {
		store,
		refresh,
		presented,
		/** What the store holds now. */
		stored: () => inner.get(),
		/** From now on, calls wait to be released. */
		hold(): void {
			holding = true;
		},
		/** How many calls of `kind` are held now. */
		held: (kind: HeldKind): number => held.filter(call => call.kind === kind).length,
		/** Lets the event loop run: a bound on what can move on its own, not a wait for time. */
		settle,
		/** Lets the event loop run, then releases the oldest (or newest) held call of `kind`; false when none is held. */
		async release(kind: HeldKind, which: 'oldest' | 'newest' = 'oldest'): Promise<boolean> {
			await settle();
			const calls = held.filter(call => call.kind === kind);
			const call = which === 'oldest' ? calls.at(0) : calls.at(-1);
			if (call === undefined) {
				return false;
			}
			held.splice(held.indexOf(call), 1);
			call.release();
			return true;
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
			if (best === undefined) {
				return false;
			}
			held.splice(held.indexOf(best), 1);
			best.release();
			return true;
		},
	};
}
