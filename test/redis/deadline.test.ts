import {describe, expect, it} from 'vitest';
import {withinDeadline} from '../../src/redis/deadline.js';
import {deferred} from '../helpers/deferred.js';

const late = (): Error => new Error('late');

describe('a Redis command\'s deadline (withinDeadline)', () => {
	it('takes a reply that came in the same turn as the deadline for in time (a busy process ran both at once)', async () => {
		const reply = deferred<string>();
		const judged = withinDeadline(reply.promise, 5, late);
		// Due together with the deadline's timer, and run right after it: as a reply read in the turn where a
		// process too busy to run its timers on time finally runs them.
		setTimeout(() => {
			reply.resolve('PONG');
		}, 5);
		await expect(judged).resolves.toBe('PONG');
	});

	it('rejects with late() when no reply came by then', async () => {
		await expect(withinDeadline(new Promise(() => undefined), 5, late)).rejects.toThrow('late');
	});

	it('settles like the reply before the deadline, and passes a failure on', async () => {
		await expect(withinDeadline(Promise.resolve(1), 60_000, late)).resolves.toBe(1);
		await expect(withinDeadline(Promise.reject(new Error('refused')), 60_000, late)).rejects.toThrow('refused');
	});
});
