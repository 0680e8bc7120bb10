import type {NodeRedisClient, NodeRedisClusterClient} from './client-types.js';
import {onClientEvent} from './client-events.js';
import type {RedisConnection} from './connection.js';
import {openSubscription} from './subscriber-connection.js';
import {noop} from '../utils/timers.js';

/** A node-redis client or cluster client, tagged, since only their `sendCommand` differs. */
export type NodeRedisTarget = {readonly client: NodeRedisClient} | {readonly cluster: NodeRedisClusterClient};

/** Closes a node-redis client at once, on node-redis 5+ (`destroy`) or 4 (`disconnect`). */
function closeNow(client: NodeRedisClient | NodeRedisClusterClient): void {
	if (client.destroy) {
		client.destroy();
	} else {
		client.disconnect?.().catch(noop);
	}
}

/**
 * The store's view of a node-redis client (`createClient`, `createCluster`): commands through `sendCommand`,
 * routed by key on a cluster, and the subscriber through `duplicate` + `connect`.
 */
export function nodeRedisConnection(target: NodeRedisTarget): RedisConnection {
	const client = 'client' in target ? target.client : target.cluster;
	// What a client emits when its owner closes it (`close()`, `destroy()`, `quit()`, `disconnect()`): a single-node
	// client 'end', a cluster client 'disconnect' (its 'node-disconnect' is one node's connection lost).
	const endEvent = 'client' in target ? 'end' : 'disconnect';
	let wasReady = false;
	const send = 'client' in target
		? async (args: readonly string[]) => target.client.sendCommand(args)
		: async (args: readonly string[], key: string | undefined) => target.cluster.sendCommand(key, false, [...args]);
	return {
		get ready() {
			const {isReady} = client;
			wasReady ||= isReady;
			return isReady;
		},
		get wasReady() {
			return wasReady;
		},
		get closed() {
			// `isOpen` is false before `connect()` and after the client was closed (true while it reconnects).
			return client.isOpen === false;
		},
		async send(args, key) {
			const reply = await send(args, key);
			wasReady = true;
			return reply;
		},
		async subscribe(channel, handlers, signal) {
			const subscriber = client.duplicate();
			const listener = (message: string): void => {
				handlers.onMessage(message);
			};
			return openSubscription({
				connect: async () => {
					await subscriber.connect();
				},
				subscribe: async () => {
					await subscriber.subscribe(channel, listener);
				},
				listen(up, down) {
					// A node-redis client without an 'error' listener throws the error: the store reports the outage instead.
					subscriber.on('error', noop);
					for (const event of ['ready', 'node-ready']) {
						subscriber.on(event, up);
					}
					for (const event of ['reconnecting', 'end', 'node-reconnecting', 'node-disconnect', 'disconnect']) {
						subscriber.on(event, down);
					}
				},
				followClient: ended => onClientEvent(client, endEvent, ended),
				close: () => {
					closeNow(subscriber);
				},
			}, handlers, signal);
		},
	};
}
