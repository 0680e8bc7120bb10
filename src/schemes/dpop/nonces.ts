import type {DPoPServerRole} from '../../types/dpop.js';
import {originOf} from './htu.js';

/** RFC 9449 §8.1: `nonce = 1*NQCHAR`, `NQCHAR = %x21 / %x23-5B / %x5D-7E` (visible ASCII but `"` and `\`). */
const nonceSyntax = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Whether `value` is a valid DPoP nonce. */
export function isDPoPNonce(value: string): boolean {
	return nonceSyntax.test(value);
}

/**
 * The last `DPoP-Nonce` each server sent (RFC 9449 §8, §9), by origin and role: a nonce is valid for the server
 * that gave it only, so one origin's nonce never goes to another, and an authorization server's never goes to a
 * resource server on the same origin (nor the reverse).
 */
export class NonceCache {
	readonly #nonces = new Map<string, string>();

	/** Keeps the response's `DPoP-Nonce` for the origin of `url` in `role`, when it has a valid one. */
	observe(response: Response, url: string, role: DPoPServerRole): void {
		const nonce = response.headers.get('dpop-nonce');
		const origin = originOf(url);
		if (nonce !== null && origin !== undefined && isDPoPNonce(nonce)) {
			this.#nonces.set(`${role} ${origin}`, nonce);
		}
	}

	/** The nonce to send to `origin` in `role`, if it sent one. */
	get(origin: string, role: DPoPServerRole): string | undefined {
		return this.#nonces.get(`${role} ${origin}`);
	}
}
