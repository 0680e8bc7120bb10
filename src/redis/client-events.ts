import {callIsolated} from '../utils/isolated.js';

/** The event methods ioredis and node-redis clients share. */
export interface EventSource {
	on(event: string, listener: () => void): unknown;
	off(event: string, listener: () => void): unknown;
}

/** The callbacks waiting for one event of one client, and the one listener that calls them. */
interface Followers {
	readonly callbacks: Set<() => void>;
	readonly listener: () => void;
}

const followed = new WeakMap<EventSource, Map<string, Followers>>();

/**
 * Calls `callback` whenever `client` emits `event` (its owner closed it), until the returned function is called.
 * However many stores share one client, ky-auth adds one listener per event to it, so a service with many
 * stores on one client never hits the client's listener limit (`MaxListenersExceededWarning`).
 */
export function onClientEvent(client: EventSource, event: string, callback: () => void): () => void {
	let events = followed.get(client);
	if (!events) {
		events = new Map();
		followed.set(client, events);
	}
	let followers = events.get(event);
	if (!followers) {
		const callbacks = new Set<() => void>();
		followers = {
			callbacks,
			listener: () => {
				for (const each of [...callbacks]) {
					callIsolated(each);
				}
			},
		};
		events.set(event, followers);
		client.on(event, followers.listener);
	}
	// The same function twice must still need two stops: wrap it.
	const entry = (): void => {
		callback();
	};
	const {callbacks, listener} = followers;
	callbacks.add(entry);
	return () => {
		if (!callbacks.delete(entry) || callbacks.size > 0) {
			return;
		}
		if (events.get(event)?.callbacks === callbacks) {
			events.delete(event);
		}
		client.off(event, listener);
	};
}
