import type {AuthSessionEventMap, AuthSessionListener} from '../types/session.js';

/** The events of one session, typed by {@link AuthSessionEventMap}; listeners run in isolation, as on any EventTarget. */
export class SessionEvents {
	readonly #target = new EventTarget();

	add<K extends keyof AuthSessionEventMap>(type: K, listener: AuthSessionListener<K>, options?: AddEventListenerOptions | boolean): void {
		// The session dispatches only the events of AuthSessionEventMap, each under its own name.
		this.#target.addEventListener(type, listener as EventListener, options);
	}

	remove<K extends keyof AuthSessionEventMap>(type: K, listener: AuthSessionListener<K>, options?: EventListenerOptions | boolean): void {
		this.#target.removeEventListener(type, listener as EventListener, options);
	}

	emit<K extends Exclude<keyof AuthSessionEventMap, 'signedout'>>(type: K, detail: AuthSessionEventMap[K]['detail']): void {
		this.#target.dispatchEvent(new CustomEvent(type, {detail}));
	}

	signedOut(): void {
		this.#target.dispatchEvent(new Event('signedout'));
	}
}
