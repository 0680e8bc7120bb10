import {localLock} from '../stores/local-lock.js';
import {newRecordId} from '../stores/record.js';
import {bounded} from '../utils/bounded.js';
import type {ChangeChannel} from './change-channel.js';
import type {RedisCommands} from './commands.js';
import type {RecordKeys} from './keys.js';
import {integerReply} from './reply.js';
import {RedisStoreError} from './redis-store-error.js';
import {scripts} from './scripts.js';
import {jittered} from './timers.js';
import {Wakeup} from './wakeup.js';

/** What {@link RedisLock} works with. */
export interface RedisLockParts {
	commands: RedisCommands;
	keys: RecordKeys;
	channel: ChangeChannel;
	/** Milliseconds a holder keeps the lock at most (`PX`). */
	ttl: number;
	/** Longest sleep between two attempts at a taken lock. */
	pollInterval: number;
}

/** Redis cannot be reached (as opposed to: it refused the command, a configuration problem worth failing on). */
function isOutage(error: unknown): boolean {
	return error instanceof RedisStoreError && error.code !== 'REDIS_FAILED';
}

/**
 * The record's lock across processes: inside a process-local lock (one contender per process), `SET lock owner
 * NX PX ttl` with a fresh random owner value per attempt; a waiter sleeps until the holder's release is announced
 * on the channel, or at most `pollInterval` (never shorter than what the holder has left, so a crashed holder's
 * lock is taken as soon as its TTL runs out), jittered. Only its owner releases it (compare-and-delete).
 *
 * When Redis cannot be reached, the task runs under the process-local lock alone rather than fail: one refresh at
 * a time in this process, and compare-and-set still decides which result is kept. An attempt whose outcome is
 * unknown (no answer in time, connection lost, waiter gone) may still take the lock when its command lands late:
 * its owner value is released once Redis is back, so the lock is not left held for a whole TTL.
 */
export class RedisLock {
	readonly #parts: RedisLockParts;
	readonly #local = localLock();
	/** Owner values of attempts with an unknown outcome, with when they were sent (they expire after the TTL anyway). */
	readonly #unknown = new Map<string, number>();

	constructor(parts: RedisLockParts) {
		this.#parts = parts;
	}

	/** Runs `task` holding the lock; abort `signal` to stop waiting (the task itself is not aborted). */
	async run<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T> {
		return this.#local(async () => {
			let owner: string | undefined;
			try {
				owner = await this.#acquire(signal);
			} catch (error) {
				if (signal.aborted || !isOutage(error)) {
					throw error;
				}
			}
			try {
				return await task();
			} finally {
				if (owner !== undefined) {
					await this.#release(owner);
				}
			}
		}, signal);
	}

	/** Redis answers again: releases what attempts of unknown outcome may have taken. */
	restored(): void {
		const now = Date.now();
		const owners = [...this.#unknown].filter(([, sent]) => now - sent < this.#parts.ttl).map(([owner]) => owner);
		this.#unknown.clear();
		for (const owner of owners) {
			void this.#release(owner);
		}
	}

	async #acquire(signal: AbortSignal): Promise<string> {
		const wakeup = new Wakeup();
		const stop = this.#parts.channel.wake(() => {
			wakeup.wake();
		});
		try {
			for (;;) {
				wakeup.reset();
				const owner = newRecordId();
				const left = await this.#attempt(owner, signal);
				if (left === 0) {
					return owner;
				}
				await wakeup.sleep(jittered(Math.min(left, this.#parts.pollInterval)), signal);
			}
		} finally {
			stop();
		}
	}

	/** One `SET NX PX`: 0 when taken, else the milliseconds the holder has left. */
	async #attempt(owner: string, signal: AbortSignal): Promise<number> {
		const {commands, keys, ttl} = this.#parts;
		const sent = commands.run(scripts.acquire, [keys.lock], [owner, String(ttl)]);
		try {
			return integerReply(await bounded(sent, {signal}), 'lock');
		} catch (error) {
			this.#remember(owner);
			if (signal.aborted) {
				// Gone before the answer: if the lock was taken after all, give it back now.
				sent.then(async reply => {
					if (integerReply(reply, 'lock') === 0) {
						await this.#release(owner);
					}
				}).catch(() => undefined);
			}
			throw error;
		}
	}

	#remember(owner: string): void {
		const now = Date.now();
		for (const [known, sent] of this.#unknown) {
			if (now - sent >= this.#parts.ttl) {
				this.#unknown.delete(known);
			}
		}
		this.#unknown.set(owner, now);
	}

	/** Deletes the lock if `owner` still holds it, and announces 'released'; a failure leaves it to the TTL (and to {@link restored}). */
	async #release(owner: string): Promise<void> {
		const {commands, keys} = this.#parts;
		try {
			await commands.run(scripts.release, [keys.lock], [owner, keys.channel]);
			this.#unknown.delete(owner);
		} catch {
			this.#remember(owner);
		}
	}
}
