import {randomBytes} from 'node:crypto';

/** An OAuth-style token response. */
export interface TokenResponse {
	access_token: string;
	refresh_token: string;
	token_type: 'Bearer';
	expires_in: number;
}

/** What presenting a refresh token did. */
export type SpendOutcome =
	| {kind: 'granted'; tokens: TokenResponse}
	/** The token was spent already: its whole family is revoked now. */
	| {kind: 'reuse'}
	/** Unknown token, or its family was revoked. */
	| {kind: 'refused'};

interface Family {
	user: string;
	revoked: boolean;
}

/**
 * The authorization server's books: one family per sign-in, refresh-token rotation (each refresh token
 * is valid once and its use issues the next pair) and reuse detection (presenting a spent refresh token
 * revokes every access and refresh token of its family). Tokens read `<user>.<family>.<n>.<random>`, so a
 * page can tell whose token it holds.
 */
export class TokenLedger {
	readonly #families = new Map<string, Family>();
	readonly #refresh = new Map<string, {family: string; spent: boolean}>();
	readonly #access = new Map<string, {family: string; expiresAt: number; revoked: boolean}>();
	#familyCount = 0;

	/** A new family for `user` (a login). */
	signIn(user: string, lifetime: number): TokenResponse {
		const family = `f${++this.#familyCount}`;
		this.#families.set(family, {user, revoked: false});
		return this.#issue(family, lifetime);
	}

	/** Spends a refresh token once; a second presentation is a reuse and revokes the family. */
	spend(refreshToken: string, lifetime: number): SpendOutcome {
		const entry = this.#refresh.get(refreshToken);
		const family = entry && this.#families.get(entry.family);
		if (!entry || !family || family.revoked) {
			return {kind: 'refused'};
		}
		if (entry.spent) {
			family.revoked = true;
			return {kind: 'reuse'};
		}
		entry.spent = true;
		return {kind: 'granted', tokens: this.#issue(entry.family, lifetime)};
	}

	/** Revokes every access token issued so far (refresh tokens stay valid): the next requests get 401. */
	revokeAccess(): void {
		for (const access of this.#access.values()) {
			access.revoked = true;
		}
	}

	/** The user of a valid (known, unexpired, unrevoked, family alive) access token, else `undefined`. */
	userOfValidAccess(token: string): string | undefined {
		const access = this.#access.get(token);
		const family = access && this.#families.get(access.family);
		if (!access || !family || access.revoked || family.revoked || access.expiresAt <= Date.now()) {
			return undefined;
		}
		return family.user;
	}

	#issue(family: string, lifetime: number): TokenResponse {
		const user = this.#families.get(family)?.user ?? '?';
		const n = this.#access.size + 1;
		const access = `${user}.${family}.${n}.${randomBytes(6).toString('hex')}`;
		const refresh = `${user}.${family}.r${n}.${randomBytes(6).toString('hex')}`;
		this.#access.set(access, {family, expiresAt: Date.now() + lifetime * 1000, revoked: false});
		this.#refresh.set(refresh, {family, spent: false});
		return {access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: lifetime};
	}
}
