// A process that takes a redisStore lock and holds it for ever, renewing it, until it is killed: run by
// lock-renewal.test.ts (bundled with esbuild), which SIGKILLs it to see its lock taken over after the TTL.
import {redisStore} from '../../src/redis/index.js';
import {libraries} from './clients.js';
import {renewals} from './renewals.js';

/** What the parent sends once. */
export interface HolderSetup {
	port: number;
	key: string;
	lockTtl: number;
	commandTimeout: number;
}

/** What the holder reports: it holds the lock; it renewed it (the script answered 1) `count` times. */
export type HolderReport = {type: 'holding'} | {type: 'renewed'; count: number};

const report = (message: HolderReport): void => {
	process.send?.(message);
};

process.once('message', (setup: HolderSetup) => {
	void (async () => {
		const flavour = libraries[0];
		if (!flavour) {
			throw new Error('no client library');
		}
		const client = await flavour.connect(setup.port);
		const watched = await renewals(client, count => {
			report({type: 'renewed', count});
		});
		const store = redisStore({client: watched, key: setup.key, lockTtl: setup.lockTtl, commandTimeout: setup.commandTimeout});
		await store.lock(async () => {
			report({type: 'holding'});
			await new Promise(() => undefined);
		}, new AbortController().signal);
	})();
});
