import {randomBytes} from 'node:crypto';

/** How a proof's `nonce` claim compares with the server's current nonce. */
export type NonceCheck = 'ok' | 'missing' | 'stale';

/**
 * The one nonce a DPoP server currently accepts (RFC 9449 §8, §9). Only the current nonce is accepted:
 * after a rotation the previous one is stale at once, which makes a client that keeps an old nonce visible.
 */
export interface NonceSource {
	/** The nonce proofs must carry now; sent as `DPoP-Nonce` on every response. */
	readonly current: string;
	/** How many nonces this source has had (the first counts). */
	readonly generation: number;
	/** Replaces the nonce with a fresh random one and returns it. */
	rotate(): string;
	/** Replaces the nonce with `nonce` (RFC 9449 §8.1 syntax: `1*NQCHAR`). */
	set(nonce: string): void;
	/** Compares a proof's `nonce` claim with the current nonce. */
	check(claim: unknown): NonceCheck;
}

/** RFC 9449 §8.1: `nonce = 1*NQCHAR`, NQCHAR = %x21 / %x23-5B / %x5D-7E. */
const nonceSyntax = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

function freshNonce(): string {
	return randomBytes(16).toString('base64url');
}

function checkNonce(name: string, value: unknown): string {
	if (typeof value !== 'string' || !nonceSyntax.test(value)) {
		throw new TypeError(`${name}: expected a non-empty string of NQCHAR (RFC 9449 §8.1: no space, '"' or '\\'), got ${typeof value === 'string' ? JSON.stringify(value) : typeof value}`);
	}
	return value;
}

/** A nonce source starting at `initial` (a random nonce when absent). */
export function createNonceSource(initial?: string): NonceSource {
	let current = initial === undefined ? freshNonce() : checkNonce('initialNonce', initial);
	let generation = 1;
	return {
		get current() {
			return current;
		},
		get generation() {
			return generation;
		},
		rotate() {
			current = freshNonce();
			generation++;
			return current;
		},
		set(nonce: string) {
			current = checkNonce('setNonce', nonce);
			generation++;
		},
		check(claim: unknown) {
			if (claim === undefined) return 'missing';
			return claim === current ? 'ok' : 'stale';
		},
	};
}
