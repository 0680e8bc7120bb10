import type {TokenStore} from '../../src/index.js';

/**
 * How a probe's `lock` call ended: `pending` (waiting or holding), `released`, or the name of the error it
 * rejected with (its message for a plain `Error`), `unknown` for a name never taken.
 */
export type LockOutcome = string;

/**
 * Drives a store's `lock` from the test, holding it as long as the test wants: `take(name)` resolves when
 * granted (its task then waits for `release(name)`), `outcome(name)` tells how the `lock` call ended
 * (`AbortError` when another tab stole the lock). Times are the page's `Date.now()`, the same clock in
 * every tab, used for ordering only.
 */
export function lockProbe(store: TokenStore) {
	const releases = new Map<string, () => void>();
	const outcomes = new Map<string, LockOutcome>();
	const times = new Map<string, {granted?: number; released?: number}>();
	const aborts = new Map<string, AbortController>();
	return {
		async take(name: string): Promise<void> {
			const controller = new AbortController();
			aborts.set(name, controller);
			outcomes.set(name, 'pending');
			times.set(name, {});
			return new Promise<void>((granted, failed) => {
				const task = async (): Promise<void> => {
					times.get(name)!.granted = Date.now();
					granted();
					await new Promise<void>(resolve => releases.set(name, resolve));
					times.get(name)!.released = Date.now();
				};
				store.lock!(task, controller.signal).then(() => outcomes.set(name, 'released'), (error: unknown) => {
					outcomes.set(name, error instanceof Error ? (error.name === 'Error' ? error.message : error.name) : String(error));
					failed(error);
				});
			});
		},
		release(name: string): void {
			releases.get(name)?.();
		},
		abort(name: string, message: string): void {
			aborts.get(name)?.abort(new Error(message));
		},
		outcome: (name: string): LockOutcome => outcomes.get(name) ?? 'unknown',
		times: (name: string) => times.get(name) ?? {},
	};
}
