import {localLock} from '../utils/local-lock.js';
import {newRecordId} from '../record/record.js';
import {bounded} from '../utils/bounded.js';
import type {ChangeChannel} from './change-channel.js';
import type {RedisCommands} from './commands.js';
import type {RecordKeys} from './keys.js';
import {renewLock} from './lock-renewal.js';
import {integerReply} from './reply.js';
import {RedisStoreError} from './redis-store-error.js';
import {scripts} from './scripts.js';
import {jittered} from './jitter.js';
import {Wakeup} from './wakeup.js';

/** What {@link RedisLock} works with. */
export interface RedisLockParts {
	commands: RedisCommands;
	keys: RecordKeys;
	channel: ChangeChannel;
	/** The lock's TTL in milliseconds (`PX`), renewed while its holder runs: how long a holder that died blocks the others. */
	ttl: number;
	/** Longest sleep between two attempts at a taken lock. */
	pollInterval: number;
}

/**
 * The record's lock across processes: inside a process-local lock (one contender per process), `SET lock owner
 * NX PX ttl` with a fresh random owner value per attempt; a waiter sleeps until the holder's release is announced
 * on the channel, or at most `pollInterval` (never shorter than what the holder has left, so a crashed holder's
 * lock is taken as soon as its TTL runs out), jittered. While the task runs, the holder renews the lock every
 * `ttl / 3` (lock-renewal.ts): a live holder keeps it however long its task runs, and the TTL only bounds how
 * long a holder that died blocks the others. Only its owner renews or releases it (compare-and-PEXPIRE,
 * compare-and-delete).
 *
 * A lock that cannot be taken is never permission to run the task: when Redis cannot be reached or does not
 * answer in time, {@link run} rejects with the {@link RedisStoreError} (`REDIS_UNAVAILABLE`, `REDIS_TIMEOUT`),
 * as it does when Redis refuses the command (`REDIS_FAILED`). Another process may hold the lock and be spending
 * the same refresh token; the caller decides what it can do without the lock. An attempt whose outcome is
 * unknown (no answer in time, connection lost, waiter gone) may still take the lock when its command lands
 * late: its owner value is released right away (on the same connection, after the attempt) and again once
 * Redis answers after an outage, so the lock is not left held for a whole TTL.
 */
export class RedisLock {
	readonly #parts: RedisLockParts;
	readonly #local = localLock();
	/** Owner values of attempts with an unknown outcome, with when they were sent (they expire after the TTL anyway). */
	readonly #unknown = new Map<string, number>();

	constructor(parts: RedisLockParts) {
		this.#parts = parts;
	}

	/**
	 * Runs `task` holding the lock, renewed until the task settles; abort `signal` to stop waiting (the task
	 * itself is not aborted).
	 *
	 * @throws {RedisStoreError} When the lock could not be taken: Redis unreachable, no answer in time, or refused.
	 */
	async run<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T> {
		return this.#local(async () => {
			const {commands, keys, ttl} = this.#parts;
			const owner = await this.#acquire(signal);
			const stopRenewing = renewLock({commands, lock: keys.lock, ttl}, owner);
			try {
				return await task();
			} finally {
				stopRenewing();
				await this.#release(owner);
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
			if (!(error instanceof RedisStoreError && error.code === 'REDIS_FAILED')) {
				// Unknown outcome: the SET may land late. A release sent now runs after it on the same connection.
				this.#remember(owner);
				void this.#release(owner);
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
