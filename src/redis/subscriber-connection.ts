import {bounded} from '../utils/bounded.js';
import type {Subscription, SubscriptionHandlers} from './connection.js';

/** What one client library does to run a dedicated subscriber connection (see {@link openSubscription}). */
export interface SubscriberSteps {
	/** Resolves once the duplicate connection is ready for commands. */
	connect(): Promise<void>;
	/** Subscribes to the channel (again after a reconnection: a no-op when the client already did). */
	subscribe(): Promise<void>;
	/** Attaches the connection's listeners: `up` when it is ready again, `down` when it is lost, errors swallowed. */
	listen(up: () => void, down: () => void): void;
	/** Calls `ended` when the user's client (the one duplicated) is closed; returns the function that stops. */
	followClient(ended: () => void): () => void;
	/** Closes the connection at once. */
	close(): void;
}

/** Runs a step of closing: one that throws has nothing left to undo, and closing runs on dispose, which must not throw. */
function quietly(step: () => void): void {
	try {
		step();
	} catch {
		// Nothing more can be done with it.
	}
}

/**
 * Connects and subscribes a duplicate connection, then reports its state: 'down' when it is lost, and 'up'
 * once it is ready and subscribed again (the client reconnects by itself; messages published meanwhile were
 * missed, which is why the store tells its listeners to read again on 'up'). When connecting or subscribing
 * fails, or `signal` aborts first, the connection is closed and the promise rejects.
 *
 * The connection lives no longer than the user's client: when that one is closed, the duplicate is closed
 * too (the promise rejects if it was still being opened; `onEnd` is called if it was subscribed), so the
 * store never keeps a process alive that its owner let go of.
 */
export async function openSubscription(steps: SubscriberSteps, {onState, onEnd}: Pick<SubscriptionHandlers, 'onState' | 'onEnd'>, signal: AbortSignal): Promise<Subscription> {
	let subscribed = false;
	let lost = false;
	let closed = false;
	/** Counts the losses, so a subscription renewed before the latest loss is not reported as 'up'. */
	let losses = 0;
	/** Aborted when the user's client is closed. */
	const clientEnded = new AbortController();
	/** Closes the connection once; never throws (it runs on dispose). */
	const abandon = (): void => {
		if (closed) {
			return;
		}
		closed = true;
		quietly(stopFollowing);
		quietly(() => {
			steps.close();
		});
	};
	// Never called back before it returns (the client emits its end later), so `abandon` finds it set.
	const stopFollowing = steps.followClient(() => {
		if (closed) {
			return;
		}
		const wasSubscribed = subscribed;
		abandon();
		clientEnded.abort(new Error('The client was closed'));
		if (wasSubscribed) {
			onEnd();
		}
	});
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
	const opening = AbortSignal.any([signal, clientEnded.signal]);
	opening.addEventListener('abort', abandon, {once: true});
	try {
		opening.throwIfAborted();
		// Bounded by the abort too: a connection closed while it connects may never settle its promise.
		await bounded(steps.connect(), {signal: opening});
		await bounded(steps.subscribe(), {signal: opening});
		opening.throwIfAborted();
	} catch (error) {
		abandon();
		throw error;
	} finally {
		opening.removeEventListener('abort', abandon);
	}
	subscribed = true;
	return {close: abandon};
}
