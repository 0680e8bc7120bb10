import {dev} from '../utils/dev.js';
import {httpToken} from '../schemes/fields.js';
import type {AllowedOrigins, AuthTransportOptions} from '../types/client.js';
import type {CredentialScheme, SchemeBinding} from '../types/scheme.js';
import {invalid, isRecord, optionalFunction} from '../utils/validate.js';

/** Whether `value` has the shape of a {@link CredentialScheme}. */
function isScheme(value: unknown): value is CredentialScheme {
	return isRecord(value) && typeof value.name === 'string' && typeof value.credentials === 'function'
		&& typeof value.rejected === 'function' && Array.isArray(value.headers) && typeof value.usesSession === 'boolean';
}

function scheme(where: string, value: unknown): CredentialScheme {
	if (!isScheme(value)) {
		invalid(where, dev ? 'a credential scheme from bearer(), basic(), apiKey() or dpop()' : '', value);
	}
	return value;
}

function origins(where: string, value: unknown): AllowedOrigins {
	if (typeof value !== 'function' && !Array.isArray(value)) {
		invalid(where, dev ? 'an array of origins or a function (url: URL) => boolean' : '', value);
	}
	return value as AllowedOrigins;
}

function bindings(where: string, value: unknown): readonly SchemeBinding[] | undefined {
	if (value === undefined) {
		return undefined;
	}
	if (!Array.isArray(value)) {
		invalid(where, dev ? 'an array of {origins, scheme}' : '', value);
	}
	return (value as unknown[]).map((binding, index): SchemeBinding => {
		if (!isRecord(binding)) {
			invalid(`${where}[${index}]`, dev ? 'an object {origins, scheme}' : '', binding);
		}
		return {origins: origins(`${where}[${index}].origins`, binding.origins), scheme: scheme(`${where}[${index}].scheme`, binding.scheme)};
	});
}

/** The options both adapters share, validated. */
export interface TransportOptions {
	fetch: typeof globalThis.fetch | undefined;
	allowedOrigins: AllowedOrigins | undefined;
	authScheme: string | undefined;
	scheme: CredentialScheme | undefined;
	schemes: readonly SchemeBinding[] | undefined;
}

/** Validates the options both adapters share; throws a `TypeError` naming the option. */
export function validateTransportOptions(where: string, options: AuthTransportOptions): TransportOptions {
	const fetch = optionalFunction<typeof globalThis.fetch>(`${where}: options.fetch`, options.fetch);
	const authScheme = options.authScheme === undefined ? undefined : httpToken(`${where}: options.authScheme`, options.authScheme);
	if (authScheme?.toLowerCase() === 'dpop') {
		invalid(`${where}: options.authScheme`, dev ? 'a bearer-style scheme (DPoP needs a proof per request: pass scheme: dpop() from "ky-auth/dpop")' : '', authScheme);
	}
	const main = options.scheme === undefined ? undefined : scheme(`${where}: options.scheme`, options.scheme);
	if (main !== undefined && authScheme !== undefined) {
		invalid(`${where}: options`, dev ? 'one of scheme and authScheme (authScheme is bearer({scheme}) in short)' : '', options);
	}
	const allowedOrigins = options.allowedOrigins === undefined ? undefined : origins(`${where}: options.allowedOrigins`, options.allowedOrigins);
	return {fetch, authScheme, allowedOrigins, scheme: main, schemes: bindings(`${where}: options.schemes`, options.schemes)};
}
