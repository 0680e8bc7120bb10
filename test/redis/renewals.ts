import type {RedisClient} from '../../src/redis/index.js';
import {scripts} from '../../src/redis/scripts.js';
import type {TestClient} from './clients.js';

/**
 * `client` seen through a proxy that calls `onRenewed` with the running count each time the store's lock
 * renewal script answers 1 (renewed). Any other answer of it (0: the lock was no longer the holder's) throws
 * in the store's renewal, where the test sees it as a missing renewal.
 */
export async function renewals(client: TestClient, onRenewed: (count: number) => void): Promise<RedisClient> {
	const sha = await scripts.renew.sha();
	let count = 0;
	return client.observed((command, reply) => {
		const renewal = (command[0] === 'EVALSHA' && command[1] === sha) || (command[0] === 'EVAL' && command[1] === scripts.renew.source);
		if (renewal && Number(reply) === 1) {
			onRenewed(++count);
		}
	});
}
