/**
 * What a run of the interleavings property is made of: the scenario (holders, refresh outcomes, operations) and
 * the fast-check arbitraries that choose it.
 */
import fc from 'fast-check';
import type {User} from './server.js';
import type {WriteFault} from './store.js';

/**
 * What one call into the refresh function does:
 * - `ok`, `null`, `throw`: answers when the scheduler releases it (the server rotates then), unless the refresh
 *   signal aborted first (then it rejects, and the server never saw it);
 * - `hang`: never answers, rejects when its signal aborts; the request never reached the server;
 * - `late`: the server rotates at once, the answer comes only after the refresh timeout (ignoring the signal),
 *   within the session's grace for late answers;
 * - `rejected`: the server rotates when released, the refresh calls `keep(next)`, then throws (an ID-token check
 *   that fails);
 * - `lost`: the server rotates at once, the answer never comes; the refresh rejects when its signal aborts (a
 *   token request that timed out after reaching the server: the one unknown outcome).
 */
export type Outcome = 'ok' | 'null' | 'throw' | 'hang' | 'late' | 'rejected' | 'lost';

/** One step of a scenario. `holder` and `request` are taken modulo what exists. */
export type Op =
	| {readonly kind: 'request'; readonly holder: number}
	| {readonly kind: 'burst'; readonly count: number}
	| {readonly kind: 'abort'; readonly request: number}
	| {readonly kind: 'revoke'; readonly holder: number}
	| {readonly kind: 'signIn'; readonly holder: number; readonly user: User}
	| {readonly kind: 'signOut'; readonly holder: number}
	| {readonly kind: 'signInWhenSignedOut'; readonly holder: number}
	| {readonly kind: 'storeFails'; readonly on: boolean}
	| {readonly kind: 'writeFault'; readonly fault: WriteFault}
	| {readonly kind: 'dispose'; readonly holder: number}
	| {readonly kind: 'expire'}
	| {readonly kind: 'refresh'; readonly holder: number}
	/** The next operation waits until `ms` fake ms have passed (a timeout, a grace, a write's bound meanwhile). */
	| {readonly kind: 'pause'; readonly ms: number};

export interface Scenario {
	/** How many sessions share the store. */
	readonly holders: number;
	/** Holder 0 signs in as alice before the operations start. */
	readonly signedIn: boolean;
	/** What the n-th call into the refresh function does (`ok` once they run out). */
	readonly outcomes: readonly Outcome[];
	readonly ops: readonly Op[];
}

/** Which faults a property draws from. */
export interface Faults {
	/** Refresh outcomes, repeated entries weigh more. */
	readonly outcomes: readonly Outcome[];
	/** Whether store writes may be hit by a {@link WriteFault} (asynchronous store only). */
	readonly writeFaults: boolean;
}

/** The outcomes before issue 16. */
export const classicOutcomes: readonly Outcome[] = ['ok', 'ok', 'null', 'throw', 'hang'];
/** With the faults of issue 16: late answers, rejected 200s, lost answers. */
export const allOutcomes: readonly Outcome[] = [...classicOutcomes, 'late', 'rejected', 'lost'];

const writeFaultArbitrary: fc.Arbitrary<WriteFault> = fc.oneof(
	fc.constant({kind: 'unanswered'} as const),
	fc.constant({kind: 'landsUnanswered'} as const),
	// Just after the session gave up, around its first retry of a commit (1 s later), or after its retries.
	fc.record({kind: fc.constant('late' as const), lateBy: fc.constantFrom(1, 1000, 45_000)}),
);

function opArbitrary(faults: Faults): fc.Arbitrary<Op> {
	const holder = fc.nat(2);
	const ops: Array<fc.WeightedArbitrary<Op>> = [
		{weight: 5, arbitrary: fc.record({kind: fc.constant('request' as const), holder})},
		{weight: 2, arbitrary: fc.record({kind: fc.constant('burst' as const), count: fc.integer({min: 2, max: 6})})},
		{weight: 4, arbitrary: fc.record({kind: fc.constant('revoke' as const), holder})},
		{weight: 2, arbitrary: fc.record({kind: fc.constant('abort' as const), request: fc.nat(30)})},
		{weight: 1, arbitrary: fc.record({kind: fc.constant('signIn' as const), holder, user: fc.constantFrom<User>('alice', 'bob')})},
		{weight: 1, arbitrary: fc.record({kind: fc.constant('signOut' as const), holder})},
		{weight: 1, arbitrary: fc.record({kind: fc.constant('signInWhenSignedOut' as const), holder})},
		{weight: 1, arbitrary: fc.record({kind: fc.constant('storeFails' as const), on: fc.boolean()})},
		{weight: 1, arbitrary: fc.record({kind: fc.constant('dispose' as const), holder})},
		{weight: 1, arbitrary: fc.record({kind: fc.constant('expire' as const)})},
		{weight: 1, arbitrary: fc.record({kind: fc.constant('refresh' as const), holder})},
		// Past a refresh timeout (1 s), into a late answer's grace, past a commit's bound (30 s), past the grace.
		{weight: 1, arbitrary: fc.record({kind: fc.constant('pause' as const), ms: fc.constantFrom(500, 1500, 20_000, 45_000)})},
	];
	if (faults.writeFaults) {
		ops.push({weight: 2, arbitrary: fc.record({kind: fc.constant('writeFault' as const), fault: writeFaultArbitrary})});
	}
	return fc.oneof(...ops);
}

export function scenarioArbitrary(faults: Faults): fc.Arbitrary<Scenario> {
	return fc.record({
		holders: fc.integer({min: 2, max: 3}),
		signedIn: fc.constantFrom(true, true, true, false),
		outcomes: fc.array(fc.constantFrom(...faults.outcomes), {maxLength: 6}),
		ops: fc.array(opArbitrary(faults), {minLength: 1, maxLength: 30}),
	});
}

export function describeOp(op: Op): string {
	const {kind, ...rest} = op;
	const fields = Object.entries(rest).map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`).join(' ');
	return fields === '' ? kind : `${kind} ${fields}`;
}
