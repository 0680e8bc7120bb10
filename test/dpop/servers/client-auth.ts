import type {IncomingMessage} from 'node:http';
import {parseAuthorization} from './http-io.js';

/** The client a token request names, and whether it proved it. */
export type ClientIdentity =
	| {readonly ok: true; readonly clientId: string | undefined; /** Authenticated with a registered secret, or any named client without `clients`. */ readonly confidential: boolean}
	| {readonly ok: false; readonly clientId: string | undefined; readonly message: string};

/** RFC 6749 Appendix B: `+` is a space, then percent-decoding. `undefined` on a malformed escape. */
function formDecode(value: string): string | undefined {
	try {
		return decodeURIComponent(value.replaceAll('+', ' '));
	} catch {
		return undefined;
	}
}

/**
 * Who the client is: `client_secret_basic` (RFC 6749 §2.3.1) or the form's `client_id` / `client_secret`.
 * With `clients` (id → secret), a registered id must come with its secret and an unregistered one with no
 * secret (a public client); without `clients` any named client is taken as given (tests that do not care
 * about client authentication).
 */
export function identifyClient(request: IncomingMessage, form: URLSearchParams, clients: Readonly<Record<string, string>> | undefined): ClientIdentity {
	let clientId = form.get('client_id') ?? undefined;
	let secret = form.get('client_secret') ?? undefined;
	const authorization = parseAuthorization(request);
	if (authorization?.scheme.toLowerCase() === 'basic') {
		const decoded = Buffer.from(authorization.credentials, 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		const id = colon < 0 ? undefined : formDecode(decoded.slice(0, colon));
		const basicSecret = colon < 0 ? undefined : formDecode(decoded.slice(colon + 1));
		if (id === undefined || basicSecret === undefined) return {ok: false, clientId: undefined, message: 'malformed Basic credentials'};
		clientId = id;
		secret = basicSecret;
	}
	if (clientId === undefined) return {ok: true, clientId, confidential: false};
	if (clients === undefined) return {ok: true, clientId, confidential: true};
	if (Object.hasOwn(clients, clientId)) {
		return clients[clientId] === secret ? {ok: true, clientId, confidential: true} : {ok: false, clientId, message: 'client authentication failed'};
	}
	return secret === undefined ? {ok: true, clientId, confidential: false} : {ok: false, clientId, message: 'unknown client'};
}
