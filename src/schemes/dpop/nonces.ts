import {originOf} from './htu.js';

/** RFC 9449 §8.1: `nonce = 1*NQCHAR`, `NQCHAR = %x21 / %x23-5B / %x5D-7E` (visible ASCII but `"` and `\`). */
const nonceSyntax = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Whether `value` is a valid DPoP nonce. */
export function isDPoPNonce(value: string): boolean {
	return nonceSyntax.test(value);
}

/**
 * The last `DPoP-Nonce` each origin sent (RFC 9449 §8, §9): a server's nonce is valid for that server only, so
 * one origin's nonce never goes to another.
 */
export class NonceCache {
	readonly #nonces = new Map<string, string>();

	/** Keeps the response's `DPoP-Nonce` for the origin of `url`, when it has a valid one. */
	observe(response: Response, url: string): void {
		const nonce = response.headers.get('dpop-nonce');
		const origin = originOf(url);
		if (nonce !== null && origin !== undefined && isDPoPNonce(nonce)) {
			this.#nonces.set(origin, nonce);
		}
	}

	/** The nonce to send to `origin`, if it sent one. */
	get(origin: string): string | undefined {
		return this.#nonces.get(origin);
	}
}
