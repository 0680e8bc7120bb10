import {dev} from '../utils/dev.js';
import {invalid, invalidSecret} from '../utils/validate.js';

const token = /^[!#$%&'*+\-.^_`|~\dA-Za-z]+$/;

/** Validates an HTTP token (RFC 9110 §5.6.2): an auth scheme, a header or parameter name (`what` says which, for the message). */
export function httpToken(where: string, value: unknown, what = dev ? 'an HTTP auth scheme token such as "Bearer"' : ''): string {
	if (typeof value !== 'string' || !token.test(value)) {
		invalid(where, what, value);
	}
	return value;
}

/** Whether a credential may be sent in a header value: visible ASCII and spaces, nothing a header would reject or split on. */
export function isHeaderSafe(value: string): boolean {
	return /^[\t\x20-\x7E\x80-\xFF]*$/.test(value) && value.trim() === value;
}

/** A secret from an option: the string, or what the function gives (checked each time: a rotated secret is read anew). */
export type SecretSource = string | (() => string | Promise<string>);

/** Validates a secret source eagerly: a non-empty string or a function. Never echoes the secret. */
export function secretSource(where: string, value: unknown): SecretSource {
	if (typeof value === 'function') {
		return value as () => string | Promise<string>;
	}
	if (typeof value !== 'string' || value === '') {
		invalidSecret(where, dev ? 'a non-empty string or a function returning one' : '', value);
	}
	return value;
}

/** Reads a secret source: a string as is, a function's result checked to be a non-empty string. */
export async function readSecret(where: string, source: SecretSource): Promise<string> {
	if (typeof source === 'string') {
		return source;
	}
	const value: unknown = await source();
	if (typeof value !== 'string' || value === '') {
		invalidSecret(where, dev ? 'a non-empty string from the function' : '', value);
	}
	return value;
}
