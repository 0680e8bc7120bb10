import type {ConnectionState, RedisConnection, Subscription} from './connection.js';
import {callIsolated} from '../utils/isolated.js';
import {unref} from '../utils/timers.js';

/** What {@link ChangeChannel} needs besides its connection. */
export interface ChangeChannelOptions {
	/** Milliseconds before trying again after the subscriber connection could not subscribe. */
	retryDelay(): number;
	/** The subscriber connection was lost ('down') or is subscribed again ('up'). */
	onState(state: ConnectionState): void;
}

/**
 * The record's pub/sub channel, heard through one dedicated subscriber connection that is open while anyone
 * listens: the store's subscribers (told of every 'changed') and lock waiters (woken by every message). Whenever
 * the subscription starts or comes back after a lost connection, everyone is told too, since messages published
 * while nobody was subscribed are lost.
 *
 * The connection never outlives the user's client: it is not opened while the client is closed, and it is
 * closed when the client is (then opened again, and everyone told, if the client is opened again). Its timers
 * never keep a process alive.
 */
export class ChangeChannel {
	readonly #connection: RedisConnection;
	readonly #name: string;
	readonly #options: ChangeChannelOptions;
	readonly #listeners = new Set<() => void>();
	readonly #wakers = new Set<() => void>();
	/** Aborted when the channel closes: ends the attempt to subscribe, and silences a closed connection's late events. */
	#lifetime: AbortController | undefined;
	#subscription: Subscription | undefined;
	#retry: ReturnType<typeof setTimeout> | undefined;

	constructor(connection: RedisConnection, name: string, options: ChangeChannelOptions) {
		this.#connection = connection;
		this.#name = name;
		this.#options = options;
	}

	/** Adds a store subscriber; returns the function that removes it (closing the connection after the last user). */
	subscribe(listener: () => void): () => void {
		if (typeof listener !== 'function') {
			throw new TypeError(`subscribe: expected a function, got ${typeof listener}`);
		}
		// Registering the same function twice must still need two unsubscribes: wrap it.
		return this.#use(this.#listeners, () => {
			listener();
		});
	}

	/** Calls `wake` on every message until the returned function is called (a lock waiter). */
	wake(wake: () => void): () => void {
		return this.#use(this.#wakers, wake);
	}

	/** Tells every subscriber to read again (Redis is back) and wakes the lock waiters. */
	notify(): void {
		for (const listener of [...this.#listeners, ...this.#wakers]) {
			callIsolated(listener);
		}
	}

	/** Whether anyone listens (then the store also watches for Redis to come back). */
	get used(): boolean {
		return this.#listeners.size + this.#wakers.size > 0;
	}

	#use(set: Set<() => void>, entry: () => void): () => void {
		set.add(entry);
		this.#open();
		let active = true;
		return () => {
			if (active) {
				active = false;
				set.delete(entry);
				if (!this.used) {
					this.#close();
				}
			}
		};
	}

	#open(): void {
		if (this.#lifetime || this.#retry) {
			return;
		}
		if (this.#connection.closed) {
			// The client is closed (or, node-redis, not connected yet): a connection opened now would outlive it. Look again later.
			this.#openLater();
			return;
		}
		const opening = new AbortController();
		this.#lifetime = opening;
		this.#connection.subscribe(this.#name, {
			onMessage: message => {
				if (opening.signal.aborted) {
					return;
				}
				if (message === 'released') {
					for (const wake of [...this.#wakers]) {
						callIsolated(wake);
					}
				} else {
					this.notify();
				}
			},
			onState: state => {
				if (opening.signal.aborted) {
					return;
				}
				this.#options.onState(state);
				if (state === 'up') {
					this.notify();
				}
			},
			onEnd: () => {
				if (opening.signal.aborted) {
					return;
				}
				// The client was closed, and the subscriber connection with it. Not an outage: nothing to report. If the
				// client is opened again, subscribe again (and tell everyone, as after any gap).
				opening.abort();
				this.#lifetime = undefined;
				this.#subscription = undefined;
				this.#openLater();
			},
		}, opening.signal).then(subscription => {
			if (opening.signal.aborted) {
				subscription.close();
				return;
			}
			this.#subscription = subscription;
			this.notify();
		}, () => {
			if (opening.signal.aborted) {
				return;
			}
			this.#lifetime = undefined;
			this.#openLater();
		});
	}

	/** Tries to open again after `retryDelay`, if anyone still listens then. */
	#openLater(): void {
		if (this.#retry) {
			return;
		}
		this.#retry = setTimeout(() => {
			this.#retry = undefined;
			if (this.used) {
				this.#open();
			}
		}, this.#options.retryDelay());
		// Listening alone never keeps a process alive.
		unref(this.#retry);
	}

	/** Closes the subscriber connection, or stops opening it; never throws (a session's dispose runs it). */
	#close(): void {
		clearTimeout(this.#retry);
		this.#retry = undefined;
		const subscription = this.#subscription;
		this.#subscription = undefined;
		this.#lifetime?.abort();
		this.#lifetime = undefined;
		subscription?.close();
	}
}
