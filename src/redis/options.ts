import {invalid, isRecord, timerDelay} from '../utils/validate.js';
import {type RedisConnection, connectionOf} from './connection.js';

const where = 'redisStore';
/** The longest delay a timer holds. */

/** `RedisStoreOptions` validated, with the defaults applied and the client adapted. */
export interface RedisStoreSettings {
	connection: RedisConnection;
	key: string;
	prefix: string;
	lockTtl: number;
	pollInterval: number;
	commandTimeout: number;
}

function milliseconds(name: string, value: unknown, fallback: number, whole = false): number {
	return timerDelay(`${where}: options.${name}`, value, fallback, whole);
}

function name(option: string, value: unknown, fallback: string | undefined): string {
	const text = value ?? fallback;
	if (typeof text !== 'string' || (option === 'key' && text === '') || /[{}]/.test(text)) {
		invalid(`${where}: options.${option}`, `a ${option === 'key' ? 'non-empty ' : ''}string without braces (the store adds the hash tag)`, value);
	}
	return text;
}

/** @throws {TypeError} Naming the option, what was expected and what was got. */
export function validateOptions(options: unknown): RedisStoreSettings {
	if (!isRecord(options)) {
		invalid(`${where}: options`, 'an object with a "client" and a "key"', options);
	}
	return {
		connection: connectionOf(`${where}: options.client`, options.client),
		key: name('key', options.key, undefined),
		prefix: name('prefix', options.prefix, 'ky-auth:'),
		lockTtl: milliseconds('lockTtl', options.lockTtl, 35_000, true),
		pollInterval: milliseconds('pollInterval', options.pollInterval, 1000),
		commandTimeout: milliseconds('commandTimeout', options.commandTimeout, 2000),
	};
}
