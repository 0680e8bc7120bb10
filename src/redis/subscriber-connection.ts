import type {Subscription, SubscriptionHandlers} from './connection.js';

/** What one client library does to run a dedicated subscriber connection (see {@link openSubscription}). */
export interface SubscriberSteps {
	/** Resolves once the duplicate connection is ready for commands. */
	connect(): Promise<void>;
	/** Subscribes to the channel (again after a reconnection: a no-op when the client already did). */
	subscribe(): Promise<void>;
	/** Attaches the connection's listeners: `up` when it is ready again, `down` when it is lost, errors swallowed. */
	listen(up: () => void, down: () => void): void;
	/** Closes the connection at once. */
	close(): void;
}

/**
 * Connects and subscribes a duplicate connection, then reports its state: 'down' when it is lost, and 'up'
 * once it is ready and subscribed again (the client reconnects by itself; messages published meanwhile were
 * missed, which is why the store tells its listeners to read again on 'up'). When connecting or subscribing
 * fails, or `signal` aborts first, the connection is closed and the promise rejects.
 */
export async function openSubscription(steps: SubscriberSteps, {onState}: Pick<SubscriptionHandlers, 'onState'>, signal: AbortSignal): Promise<Subscription> {
	let subscribed = false;
	let lost = false;
	let closed = false;
	/** Counts the losses, so a subscription renewed before the latest loss is not reported as 'up'. */
	let losses = 0;
	steps.listen(() => {
		if (!subscribed || !lost || closed) {
			return;
		}
		const loss = losses;
		steps.subscribe().then(() => {
			if (!closed && lost && loss === losses) {
				lost = false;
				onState('up');
			}
		}, () => undefined);
	}, () => {
		if (subscribed && !closed) {
			losses++;
			if (!lost) {
				lost = true;
				onState('down');
			}
		}
	});
	const abandon = (): void => {
		if (!closed) {
			closed = true;
			steps.close();
		}
	};
	signal.addEventListener('abort', abandon, {once: true});
	try {
		signal.throwIfAborted();
		await steps.connect();
		await steps.subscribe();
		signal.throwIfAborted();
	} catch (error) {
		abandon();
		throw error;
	} finally {
		signal.removeEventListener('abort', abandon);
	}
	subscribed = true;
	return {close: abandon};
}
