import type {RedisStoreEventMap, RedisStoreListener, RedisStoreStatus} from './types.js';
import type {RedisStoreError} from './redis-store-error.js';

/** What the store does after each change of {@link RedisHealth}, after the event. */
export interface HealthHooks {
	/** Start watching for Redis to come back. */
	degraded(): void;
	/** Tell subscribers to read again; release locks that attempts of unknown outcome may have taken. */
	restored(): void;
}

/**
 * Whether Redis answers, as the store's commands found: `degraded` after a command failed because Redis could
 * not be reached or did not answer, `connected` again after the next command that succeeded. Each change is
 * an event (`degraded` with the error, then `restored`); listeners run in isolation, as on any EventTarget.
 */
export class RedisHealth {
	readonly #target = new EventTarget();
	readonly #hooks: HealthHooks;
	#status: RedisStoreStatus = 'connected';

	constructor(hooks: HealthHooks) {
		this.#hooks = hooks;
	}

	get status(): RedisStoreStatus {
		return this.#status;
	}

	/** A command failed for lack of Redis. */
	failed(error: RedisStoreError): void {
		if (this.#status === 'degraded') {
			return;
		}
		this.#status = 'degraded';
		this.#target.dispatchEvent(new CustomEvent('degraded', {detail: {error}}));
		this.#hooks.degraded();
	}

	/** A command succeeded. */
	succeeded(): void {
		if (this.#status === 'connected') {
			return;
		}
		this.#status = 'connected';
		this.#target.dispatchEvent(new Event('restored'));
		this.#hooks.restored();
	}

	add<K extends keyof RedisStoreEventMap>(type: K, listener: RedisStoreListener<K>, options?: AddEventListenerOptions | boolean): void {
		// Only the events of RedisStoreEventMap are dispatched, each under its own name.
		this.#target.addEventListener(type, listener as EventListener, options);
	}

	remove<K extends keyof RedisStoreEventMap>(type: K, listener: RedisStoreListener<K>, options?: EventListenerOptions | boolean): void {
		this.#target.removeEventListener(type, listener as EventListener, options);
	}
}
