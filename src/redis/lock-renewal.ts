import type {RedisCommands} from './commands.js';
import {integerReply} from './reply.js';
import {scripts} from './scripts.js';
import {unref} from '../utils/timers.js';

/** Renewals per TTL: a holder renews its lock every `ttl / 3`; options.ts keeps each within its third. */
export const renewalsPerTtl = 3;

/** What {@link renewLock} works with. */
export interface LockRenewalParts {
	commands: RedisCommands;
	/** The lock's key. */
	lock: string;
	/** The lock's TTL in milliseconds: each renewal sets it back to this, every third of it. */
	ttl: number;
}

/**
 * Keeps the lock of `owner` alive while its holder works: every `ttl / 3`, an owner-checked `PEXPIRE` (a Lua
 * script) sets its TTL back to `ttl`, so a live holder never loses its lock however long its task runs, and
 * `ttl` only bounds how long a holder that died (its renewals stopped) blocks the others. A renewal that got
 * no answer is tried again at the next tick: options.ts keeps `ttl` at least 3 × the command timeout, so one
 * lands before the lock expires when Redis answers at all.
 *
 * A renewal that finds the lock no longer `owner`'s (it expired while Redis or this process stalled for a
 * whole TTL, and another holder may have taken it) stops renewing: nothing more can be done here. The holder's
 * commit is a compare-and-set, which still refuses to overwrite what another holder wrote.
 *
 * @returns The function that stops renewing (call it before releasing the lock).
 */
export function renewLock({commands, lock, ttl}: LockRenewalParts, owner: string): () => void {
	const interval = Math.max(1, Math.floor(ttl / renewalsPerTtl));
	let stopped = false;
	let sending = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const stop = (): void => {
		stopped = true;
		clearTimeout(timer);
	};
	const tick = (): void => {
		if (stopped) {
			return;
		}
		timer = setTimeout(tick, interval);
		unref(timer);
		if (sending) {
			return;
		}
		sending = true;
		// A failure (no answer: reported as `degraded`; a refused command; an odd reply) is left to the next tick.
		void commands.run(scripts.renew, [lock], [owner, String(ttl)])
			.then(reply => integerReply(reply, 'lock renewal'))
			.then(renewed => {
				if (renewed === 0) {
					stop();
				}
			}, () => undefined)
			.finally(() => {
				sending = false;
			});
	};
	timer = setTimeout(tick, interval);
	unref(timer);
	return stop;
}
