/** Runs one scenario of the interleavings property to its end under fast-check's scheduler. */
import fc from 'fast-check';
import {vi} from 'vitest';
import {describeOp, scenarioArbitrary, type Faults, type Scenario} from './scenario.js';
import {turn} from './server.js';
import {World, type WorldOptions} from './world.js';

/** Runs a world until nothing can move: every released answer and every timer that is due (fake time). */
async function settle(release: () => Promise<void>, pending: () => number): Promise<void> {
	// A bound on the rounds, not a sleep: a run that still moves after this many is a failure (left pending).
	for (let round = 0; round < 400; round++) {
		await release();
		await turn();
		if (pending() > 0) {
			continue;
		}
		if (vi.getTimerCount() === 0) {
			return;
		}
		vi.advanceTimersToNextTimer();
	}
}

/** One run of a scenario under fast-check's scheduler; throws (with a log of the run) when an invariant broke. */
export async function runScenario(scheduler: fc.Scheduler, scenario: Scenario, options: WorldOptions): Promise<void> {
	const world = new World(scheduler, scenario.holders, scenario.outcomes, options);
	const drain = async (): Promise<void> => settle(async () => scheduler.waitIdle(), () => scheduler.count());
	try {
		if (scenario.signedIn) {
			world.apply({kind: 'signIn', holder: 0, user: 'alice'});
		}
		// Every holder has read the store (and seen the first sign-in) before the operations start.
		await drain();
		scheduler.scheduleSequence(scenario.ops.map(op => ({
			label: describeOp(op),
			builder: async () => {
				world.apply(op);
			},
		})));
		await drain();
		const broken = world.brokenInvariants();
		if (broken.length > 0) {
			throw new Error(`Broken:\n${broken.join('\n')}\nThe run:\n${world.describe()}`);
		}
	} finally {
		for (const session of world.sessions) {
			session.dispose();
		}
		vi.clearAllTimers();
	}
}

/** The property over scenarios drawn with `faults`, each run in a world made with `options`. */
export function interleavings(faults: Faults, options: WorldOptions) {
	return fc.asyncProperty(fc.scheduler(), scenarioArbitrary(faults), async (scheduler, scenario) => runScenario(scheduler, scenario, options));
}

/** fast-check's parameters: INTERLEAVINGS_RUNS and INTERLEAVINGS_SEED override the defaults when hunting. */
export function runs(numRuns: number): fc.Parameters<[fc.Scheduler, Scenario]> {
	const seed = process.env.INTERLEAVINGS_SEED;
	return {numRuns: Number(process.env.INTERLEAVINGS_RUNS ?? numRuns), ...(seed ? {seed: Number(seed)} : {})};
}
