/**
 * Calls a listener so that a throw cannot break the caller (a store write, a snapshot update) or the other
 * listeners: its error surfaces asynchronously, as an uncaught error, like a throwing DOM event listener.
 */
export function callIsolated(listener: () => void): void {
	try {
		listener();
	} catch (error) {
		queueMicrotask(() => {
			throw error;
		});
	}
}
