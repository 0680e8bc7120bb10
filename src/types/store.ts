import type {TokenSet} from './tokens.js';

/**
 * What a session writes to its store: the tokens plus which sign-in they belong to and their generation.
 * Every holder of the store (tabs, sessions, processes) can then tell "a newer token of the same sign-in"
 * (adopt it) from "another sign-in, or a sign-out" (a new epoch).
 *
 * @example
 * ```ts
 * const record: TokenRecord = { id: 'k3v9q2', generation: 4, tokens: { accessToken: 'a4', refreshToken: 'r4' } };
 * ```
 */
export interface TokenRecord {
	/** Identifies one sign-in: random, made by `signIn`, kept by every refresh of it. */
	readonly id: string;
	/** 0 at sign-in, one more after each refresh. A refresh token of an older generation is never spent. */
	readonly generation: number;
	/** The tokens, normalised (absolute `expiresAt`, no `expiresIn`). */
	readonly tokens: TokenSet;
}

/** Which record a compare-and-set expects: its sign-in `id` and `generation`, or `null` for "nothing stored". */
export type TokenRecordVersion = Pick<TokenRecord, 'id' | 'generation'> | null;

/**
 * Where a session keeps its tokens. Back it with memory, web storage, IndexedDB, cookies, secure storage or a
 * server: every method may be synchronous or return a promise. The session writes {@link TokenRecord}s and
 * persists them as given; a store that returns a bare {@link TokenSet} still works (as an unversioned record).
 *
 * What a store offers decides what holders sharing it are promised (docs/stores.md):
 * - `get` + `set` only: one holder is safe; several may refresh twice or adopt a stale write.
 * - plus `lock`: one refresh at a time across holders.
 * - plus `compareAndSet`: a refresh in flight never overwrites a newer generation, another sign-in or a sign-out.
 * - plus `subscribe`: holders learn of each other's changes without waiting for a 401.
 *
 * @example
 * ```ts
 * const cookieStore: TokenStore = {
 *   get: () => readCookieJson('auth'),
 *   set: (record) => writeCookieJson('auth', record),
 * };
 * ```
 */
export interface TokenStore {
	/** Reads what is stored. Anything that is not a valid record or `TokenSet` reads as signed out. */
	get(): TokenRecord | TokenSet | null | Promise<TokenRecord | TokenSet | null>;
	/** Stores a record unconditionally (sign-in, sign-out), or clears it with `null`. */
	set(record: TokenRecord | null): void | Promise<void>;
	/**
	 * Optional: atomically replaces what is stored with `next` only when the stored record still has the
	 * `id` and `generation` of `expected` (`null`: only when nothing is stored). Resolves whether it wrote.
	 * A refresh commits through it, so it never overwrites a newer generation, another sign-in or a sign-out.
	 */
	compareAndSet?(expected: TokenRecordVersion, next: TokenRecord | null): boolean | Promise<boolean>;
	/**
	 * Optional: calls `listener` when what is stored changes from elsewhere (another tab, session or process).
	 * Returns a function that stops listening.
	 */
	subscribe?(listener: () => void): () => void;
	/**
	 * Optional: runs `task` while holding an exclusive lock shared by every holder of the same storage
	 * (for example across browser tabs), so only one of them spends a refresh token at a time.
	 * The session reads the store again inside the lock before refreshing. Abort `signal` to stop waiting.
	 */
	lock?<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T>;
}
