import type {TokenSet} from './tokens.js';

/**
 * Where a session keeps its tokens. Back it with memory, web storage, cookies, IndexedDB,
 * secure storage or a server: every method may be synchronous or return a promise.
 *
 * @example
 * ```ts
 * const cookieStore: TokenStore = {
 *   get: () => readCookieJson('auth'),
 *   set: (tokens) => writeCookieJson('auth', tokens),
 * };
 * ```
 */
export interface TokenStore {
	/** Reads the stored tokens. Anything that is not a valid `TokenSet` reads as signed out. */
	get(): TokenSet | null | Promise<TokenSet | null>;
	/** Stores tokens, or clears them with `null`. */
	set(tokens: TokenSet | null): void | Promise<void>;
	/**
	 * Optional: calls `listener` when the stored tokens change from elsewhere (another tab, another session).
	 * Returns a function that stops listening.
	 */
	subscribe?(listener: () => void): () => void;
	/**
	 * Optional: runs `task` while holding an exclusive lock shared by every session using the same storage
	 * (for example across browser tabs), so only one of them spends a rotating refresh token at a time.
	 * The session re-reads the store inside the lock before refreshing.
	 */
	lock?<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T>;
}
