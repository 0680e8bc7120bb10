import {dev} from '../utils/dev.js';
import type {CredentialScheme, SchemeCredentials} from '../types/scheme.js';
import {invalidSecret, isRecord} from '../utils/validate.js';
import {readSecret, secretSource, type SecretSource} from './fields.js';

/** Options of {@link basic}. */
export interface BasicOptions {
	/** The user-id: no `:` and no control characters (RFC 7617 §2). */
	username: string;
	/** The password, or a function giving it (called for every request, so a rotated password is read anew). No control characters. */
	password: SecretSource;
}

const final = {action: 'final'} as const;

// eslint-disable-next-line no-control-regex
const control = /[\u0000-\u001F\u007F]/;

function base64Utf8(text: string): string {
	let binary = '';
	for (const byte of new TextEncoder().encode(text)) {
		binary += String.fromCharCode(byte);
	}
	return btoa(binary);
}

/** RFC 7617's credentials: `user-id ":" password`, NFC-normalised (its UTF-8 profile), UTF-8, base64. */
function encode(username: string, password: string): string {
	if (control.test(password)) {
		invalidSecret('basic: options.password', dev ? 'no control characters (RFC 7617)' : '', password);
	}
	return `Basic ${base64Utf8(`${username}:${password}`.normalize('NFC'))}`;
}

/**
 * HTTP Basic authentication (RFC 7617, UTF-8): `Authorization: Basic base64(user-id:password)` on the origins it
 * is bound to. It does not use the session: a 401 is final (an `AuthenticationError`, no refresh), a 403 a
 * `PermissionError`. On a redirect to another origin the platform drops `Authorization`, so the password never
 * leaves the origins it is bound to.
 *
 * @throws {TypeError} When the username holds `:` or a control character, or the password is not a non-empty string or function.
 * @example
 * ```ts
 * const api = createAuthClient(session, {
 * 	baseUrl: 'https://api.example.com/',
 * 	schemes: [{origins: ['https://legacy.example.com'], scheme: basic({username: 'reports', password: () => 'from-a-vault'})}],
 * });
 * ```
 */
export function basic(options: BasicOptions): CredentialScheme {
	if (!isRecord(options)) {
		invalidSecret('basic: options', dev ? 'an object with username and password' : '', options);
	}
	const {username} = options;
	if (typeof username !== 'string' || username.includes(':') || control.test(username)) {
		// Described by kind: a "user:password" passed as the username holds the password.
		invalidSecret('basic: options.username', dev ? 'a string without ":" or control characters (RFC 7617)' : '', username);
	}
	const password = secretSource('basic: options.password', options.password);
	const fixed = typeof password === 'string' ? encode(username, password) : undefined;
	return {
		name: 'Basic',
		usesSession: false,
		headers: ['authorization'],
		perHop: false,
		credentials(): SchemeCredentials | Promise<SchemeCredentials> {
			if (fixed !== undefined) {
				return {headers: [['authorization', fixed]]};
			}
			return readSecret('basic: options.password', password).then(value => ({headers: [['authorization', encode(username, value)]]}));
		},
		rejected: () => final,
	};
}
