import {invalid, isRecord, timerDelay} from '../utils/validate.js';
import {connectionOf} from './connect.js';
import type {RedisConnection} from './connection.js';
import {renewalsPerTtl} from './lock-renewal.js';

const where = 'redisStore';

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
	const commandTimeout = milliseconds('commandTimeout', options.commandTimeout, 2000);
	return {
		connection: connectionOf(`${where}: options.client`, options.client),
		key: name('key', options.key, undefined),
		prefix: name('prefix', options.prefix, 'ky-auth:'),
		lockTtl: lockTtl(options.lockTtl, commandTimeout),
		pollInterval: milliseconds('pollInterval', options.pollInterval, 1000),
		commandTimeout,
	};
}

/**
 * `lockTtl`, at least {@link renewalsPerTtl} × `commandTimeout`: a renewal sent a third of the way through the
 * TTL has its answer (or gives up) before the lock expires, and the next one still fits.
 */
function lockTtl(value: unknown, commandTimeout: number): number {
	const ttl = milliseconds('lockTtl', value, 15_000, true);
	const least = renewalsPerTtl * commandTimeout;
	if (ttl < least) {
		const given = value === undefined ? ' (the default; set lockTtl, or a shorter commandTimeout)' : '';
		invalid(`${where}: options.lockTtl`, `at least ${renewalsPerTtl} × options.commandTimeout (${least} ms), so a renewal of the lock lands before it expires${given}`, ttl);
	}
	return ttl;
}
