import {RedisStoreError} from './redis-store-error.js';

/** A bulk-string reply as text (`null` for a nil reply); clients configured to return buffers give bytes. */
export function textReply(reply: unknown, operation: string): string | null {
	if (reply === null || reply === undefined) {
		return null;
	}
	if (typeof reply === 'string') {
		return reply;
	}
	if (reply instanceof Uint8Array) {
		return new TextDecoder().decode(reply);
	}
	throw new RedisStoreError('REDIS_FAILED', operation, new TypeError(`expected a string reply, got ${typeof reply}`));
}

/** An integer reply as a number (ioredis' `stringNumbers` option gives it as a string). */
export function integerReply(reply: unknown, operation: string): number {
	if (typeof reply === 'number') {
		return reply;
	}
	if (typeof reply === 'bigint' || (typeof reply === 'string' && /^-?\d+$/.test(reply))) {
		return Number(reply);
	}
	throw new RedisStoreError('REDIS_FAILED', operation, new TypeError(`expected an integer reply, got ${typeof reply}`));
}
