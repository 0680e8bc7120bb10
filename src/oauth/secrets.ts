import type {CustomFetchOptions} from 'oauth4webapi';
import {isRecord} from '../utils/validate.js';

/** Form parameters of a token request whose values are secrets. */
const secretParameters = ['client_secret', 'client_assertion', 'refresh_token', 'code', 'code_verifier', 'assertion', 'subject_token', 'actor_token'];

/**
 * The secrets an outgoing token request carries, as sent: the form parameters that hold secrets and the
 * credentials of an `Authorization` header (the base64 of `client_secret_basic`).
 */
export function requestSecrets(init: CustomFetchOptions<'POST', URLSearchParams>): string[] {
	const secrets = secretParameters.flatMap(name => init.body.getAll(name));
	for (const [name, value] of Object.entries(init.headers)) {
		if (name.toLowerCase() === 'authorization') {
			secrets.push(value, value.replace(/^\S+\s+/, ''));
		}
	}
	return secrets;
}

/** The tokens a token response body holds: every top-level string whose name mentions a token (`access_token`, `id_token`…). */
export function responseSecrets(body: unknown): string[] {
	if (!isRecord(body)) {
		return [];
	}
	return Object.entries(body).flatMap(([name, value]) => (/token|assertion|secret/i.test(name) && name !== 'token_type' && typeof value === 'string' ? [value] : []));
}
