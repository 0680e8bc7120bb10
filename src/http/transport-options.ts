import type {AllowedOrigins, AuthTransportOptions} from '../types/client.js';
import {invalid, optionalFunction} from '../utils/validate.js';

const schemeToken = /^[!#$%&'*+\-.^_`|~\dA-Za-z]+$/;

/** Validates the options both adapters share; throws a `TypeError` naming the option. */
export function validateTransportOptions(where: string, options: AuthTransportOptions): AuthTransportOptions {
	const fetch = optionalFunction<typeof globalThis.fetch>(`${where}: options.fetch`, options.fetch);
	const {authScheme, allowedOrigins} = options;
	if (authScheme !== undefined && (typeof authScheme !== 'string' || !schemeToken.test(authScheme))) {
		invalid(`${where}: options.authScheme`, 'an HTTP auth scheme token such as "Bearer"', authScheme);
	}
	if (allowedOrigins !== undefined && typeof allowedOrigins !== 'function' && !Array.isArray(allowedOrigins)) {
		invalid(`${where}: options.allowedOrigins`, 'an array of origins or a function (url: URL) => boolean', allowedOrigins);
	}
	return {fetch, authScheme, allowedOrigins: allowedOrigins as AllowedOrigins | undefined};
}
