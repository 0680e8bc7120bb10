import type {IoredisClient} from './client-types.js';
import {onClientEvent} from './client-events.js';
import type {RedisConnection} from './connection.js';
import {openSubscription} from './subscriber-connection.js';
import {noop} from '../utils/timers.js';

/** Resolves when `client` is ready (connecting it first when made with `lazyConnect`); rejects when it ends first. */
async function whenReady(client: IoredisClient): Promise<void> {
	if (client.status === 'ready') {
		return;
	}
	if (client.status === 'wait') {
		await client.connect();
		return;
	}
	await new Promise<void>((resolve, reject) => {
		const settle = (): void => {
			client.off('ready', onReady);
			client.off('end', onEnd);
		};
		const onReady = (): void => {
			settle();
			resolve();
		};
		const onEnd = (): void => {
			settle();
			reject(new Error('The subscriber connection ended before it was ready'));
		};
		client.on('ready', onReady);
		client.on('end', onEnd);
	});
}

/** The store's view of an ioredis `Redis` or `Cluster`: commands through `call`, the subscriber through `duplicate`. */
export function ioredisConnection(client: IoredisClient): RedisConnection {
	let wasReady = false;
	return {
		get ready() {
			const ready = client.status === 'ready';
			wasReady ||= ready;
			return ready;
		},
		get wasReady() {
			return wasReady;
		},
		get closed() {
			// 'end': closed by `quit()` or `disconnect()`, or no reconnection is left to try (the client's retryStrategy gave up).
			return client.status === 'end';
		},
		async send(args) {
			const [command = '', ...rest] = args;
			const reply = await client.call(command, ...rest);
			wasReady = true;
			return reply;
		},
		async subscribe(channel, handlers, signal) {
			const subscriber = client.duplicate();
			subscriber.on('message', (from: string, message: string) => {
				if (from === channel) {
					handlers.onMessage(message);
				}
			});
			return openSubscription({
				connect: async () => whenReady(subscriber),
				subscribe: async () => {
					await subscriber.subscribe(channel);
				},
				listen(up, down) {
					// Without an 'error' listener ioredis logs every failed reconnection attempt: the store reports the outage instead.
					subscriber.on('error', noop);
					subscriber.on('ready', up);
					subscriber.on('close', down);
				},
				followClient: ended => onClientEvent(client, 'end', ended),
				close: () => {
					subscriber.disconnect();
				},
			}, handlers, signal);
		},
	};
}
