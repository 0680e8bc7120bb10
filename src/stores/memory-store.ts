import {tokenSetProblem} from '../session/token-set.js';
import type {TokenStore} from '../types/store.js';
import type {TokenSet} from '../types/tokens.js';
import {Listeners} from './listeners.js';

/**
 * Keeps tokens in memory: the safest place in a browser (nothing a script injected later can read
 * from storage), lost on reload. Sessions sharing one memory store see each other's changes.
 *
 * @param initial - Tokens to start with.
 * @throws {TypeError} When `initial` is given and is not a TokenSet.
 * @example
 * ```ts
 * const session = createAuthSession({ store: memoryStore({ accessToken: 'a', expiresIn: 300 }) });
 * ```
 */
export function memoryStore(initial?: TokenSet | null): TokenStore {
	if (initial !== undefined && initial !== null) {
		const problem = tokenSetProblem(initial);
		if (problem !== undefined) {
			throw new TypeError(`memoryStore: expected a TokenSet or nothing, got a value that is ${problem}`);
		}
	}
	let value: TokenSet | null = initial ?? null;
	const listeners = new Listeners();
	return {
		get: () => value,
		set(tokens) {
			value = tokens;
			listeners.notify();
		},
		subscribe: listener => listeners.add(listener),
	};
}
