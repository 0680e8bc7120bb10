/**
 * The fake authorization server and API of the interleavings property (see interleavings.property.test.ts), and
 * the small helpers the world and the tests share: token names, `untilAborted`, one event-loop turn.
 */
import type {TokenRecord, TokenSet} from '../../../src/index.js';

export const api = 'https://api.example.test';

export type User = 'alice' | 'bob';

/** Which sign-in (family, numbered in sign-in order) and which generation a token belongs to. */
export interface TokenId {
	readonly family: number;
	readonly generation: number;
}

/** Tokens look like `at.<family>.<generation>` / `rt.<family>.<generation>` (optionally after `Bearer `). */
export function parseToken(token: string | null | undefined): TokenId | null {
	const match = /^(?:Bearer )?(?:at|rt)\.(\d+)\.(\d+)$/.exec(token ?? '');
	return match ? {family: Number(match[1]), generation: Number(match[2])} : null;
}

export function idOfRecord(value: TokenRecord | TokenSet | null): TokenId | null {
	if (value === null) {
		return null;
	}
	return parseToken('tokens' in value ? value.tokens.accessToken : value.accessToken);
}

export function show(id: TokenId | null): string {
	return id ? `${id.family}.${id.generation}` : 'nothing';
}

export function sameToken(a: TokenId, b: TokenId): boolean {
	return a.family === b.family && a.generation === b.generation;
}

/** Settles like `promise`, or rejects with the abort reason as soon as `signal` aborts (as fetch does). */
export async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	signal.throwIfAborted();
	let onAbort = (): void => undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => {
			reject(signal.reason as Error);
		};
		signal.addEventListener('abort', onAbort, {once: true});
	});
	try {
		return await Promise.race([promise, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/** One macrotask turn: every microtask queued so far has run (fake time does not move). */
export async function turn(): Promise<void> {
	await new Promise<void>(resolve => {
		setImmediate(resolve);
	});
}

/**
 * A token endpoint and an API. Each sign-in is a family of tokens with rotation: a refresh token is good once;
 * presented again it revokes the family (reuse detection). Access tokens are good while their family lives and
 * until they are revoked (the way to make the API answer 401).
 */
export class AuthServer {
	readonly families: Array<{user: User; alive: boolean; generation: number; revokedThrough: number}> = [];
	/** Refresh tokens presented after they were spent. */
	readonly reuses: TokenId[] = [];
	/** The clock the sessions read: tokens expire 1e12 ms after issue (only a clock jump expires them). */
	clock = 0;
	readonly #familyByExpiry = new Map<number, number>();

	signIn(user: User): TokenSet {
		this.families.push({user, alive: true, generation: 0, revokedThrough: -1});
		return this.#issue(this.families.length - 1, 0);
	}

	/** Rotates `refreshToken`; `null` is `invalid_grant` (unknown, revoked, or reused: then the family is revoked). */
	refresh(refreshToken: string | undefined): TokenSet | null {
		const id = parseToken(refreshToken);
		const family = id && this.families[id.family];
		if (!id || !family?.alive) {
			return null;
		}
		if (id.generation !== family.generation) {
			family.alive = false;
			this.reuses.push(id);
			return null;
		}
		family.generation++;
		return this.#issue(id.family, family.generation);
	}

	/** Whether the API accepts this Authorization header. */
	accepts(authorization: string | null): boolean {
		const id = parseToken(authorization);
		const family = id && this.families[id.family];
		return id !== null && family !== undefined && family !== null && family.alive && id.generation > family.revokedThrough;
	}

	/** Every access token issued so far in `family` gets 401 from now on. */
	revoke(family: number): void {
		const entry = this.families[family];
		if (entry) {
			entry.revokedThrough = entry.generation;
		}
	}

	/** The sign-in a holder holds, told by the (unique) expiry of its access token that its snapshot shows. */
	familyOfExpiry(expiresAt: number | null): number | undefined {
		return expiresAt === null ? undefined : this.#familyByExpiry.get(expiresAt);
	}

	userOf(family: number | null): string {
		return family === null ? 'signed out' : `${this.families[family]?.user ?? '?'} (sign-in ${family})`;
	}

	#issue(family: number, generation: number): TokenSet {
		const expiresAt = this.clock + 1e12 + (family * 1000) + generation;
		this.#familyByExpiry.set(expiresAt, family);
		return {accessToken: `at.${family}.${generation}`, refreshToken: `rt.${family}.${generation}`, expiresAt};
	}
}
