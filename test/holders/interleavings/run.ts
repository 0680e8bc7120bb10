/** Runs one scenario of the interleavings property to its end under fast-check's scheduler. */
import fc from 'fast-check';
import {vi} from 'vitest';
import {describeOp, scenarioArbitrary, type Faults, type Op, type Scenario} from './scenario.js';
import {turn} from './server.js';
import {World, type WorldOptions} from './world.js';

/**
 * Runs a world until nothing can move: every released answer and every timer that is due (fake time); with
 * `until`, only until that many fake ms have passed (what is due then still runs).
 */
async function settle(scheduler: fc.Scheduler, until?: number): Promise<void> {
	let reached = false;
	if (until !== undefined) {
		setTimeout(() => {
			reached = true;
		}, until);
	}
	// A bound on the rounds, not a sleep: a run that still moves after this many is a failure (left pending).
	for (let round = 0; round < 400; round++) {
		await scheduler.waitIdle();
		await turn();
		if (scheduler.count() > 0) {
			continue;
		}
		if (reached || vi.getTimerCount() === 0) {
			return;
		}
		vi.advanceTimersToNextTimer();
	}
}

/** The operations between pauses, each with the pause that follows it (`undefined`: the last). */
function segments(ops: readonly Op[]): Array<{ops: Op[]; pause: number | undefined}> {
	const result: Array<{ops: Op[]; pause: number | undefined}> = [{ops: [], pause: undefined}];
	for (const op of ops) {
		const last = result.at(-1)!;
		if (op.kind === 'pause') {
			last.pause = (last.pause ?? 0) + op.ms;
			result.push({ops: [], pause: undefined});
		} else {
			last.ops.push(op);
		}
	}
	return result;
}

/** One run of a scenario under fast-check's scheduler; throws (with a log of the run) when an invariant broke. */
export async function runScenario(scheduler: fc.Scheduler, scenario: Scenario, options: WorldOptions): Promise<void> {
	const world = new World(scheduler, scenario.holders, scenario.outcomes, options);
	try {
		if (scenario.signedIn) {
			world.apply({kind: 'signIn', holder: 0, user: 'alice'});
		}
		// Every holder has read the store (and seen the first sign-in) before the operations start.
		await settle(scheduler);
		// Operations in the scheduler's order, fake time moving only at a pause (and at the end, until nothing can move).
		for (const segment of segments(scenario.ops)) {
			scheduler.scheduleSequence(segment.ops.map(op => ({
				label: describeOp(op),
				builder: async () => {
					world.apply(op);
				},
			})));
			await settle(scheduler, segment.pause);
		}
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
