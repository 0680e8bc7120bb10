import type {RefreshContext, TokenSet} from '../../src/index.js';

/**
 * A rotating refresh-token ledger, as an authorization server keeps one: every refresh token is spent once;
 * presenting a spent one is a reuse, which revokes the whole family (the sign-in ends). It counts both.
 */
export class Ledger {
	/** Refresh tokens presented, in order. */
	readonly presented: string[] = [];
	reuses = 0;
	revoked = false;
	readonly #spent = new Set<string>();
	#issued = 0;

	/** The tokens of a fresh sign-in. */
	signIn(): TokenSet {
		return this.#issue();
	}

	/** Spends `context.tokens.refreshToken` and issues the next tokens (`null` once the family is revoked). */
	grant(context: RefreshContext): TokenSet | null {
		const presented = context.tokens?.refreshToken ?? '';
		this.presented.push(presented);
		if (this.#spent.has(presented)) {
			this.reuses++;
			this.revoked = true;
		}
		this.#spent.add(presented);
		return this.revoked ? null : this.#issue();
	}

	#issue(): TokenSet {
		this.#issued++;
		return {accessToken: `at.${this.#issued}`, refreshToken: `rt.${this.#issued}`, expiresIn: 300};
	}
}
