/**
 * The token endpoint side of the interleavings property: the refresh function each holder is given, which plays
 * the scenario's outcomes (scenario.ts) against the fake server, and what it saw (for invariants 2, 3 and 4).
 */
import {vi} from 'vitest';
import type {RefreshFunction, TokenSet} from '../../../src/index.js';
import type {Outcome} from './scenario.js';
import {parseToken, show, untilAborted, type AuthServer, type TokenId} from './server.js';
import type {Releases} from './store.js';

/** One call into the refresh function, for the check that its own timeout bounds it. */
export interface RefreshCall {
	readonly call: number;
	readonly holder: number;
	readonly outcome: Outcome;
	/** Fake time when it started. */
	readonly startedAt: number;
	abortedAt?: number;
	settledAt?: number;
}

/** What the token endpoint needs from its world. */
export interface EndpointWorld {
	readonly server: AuthServer;
	readonly violations: string[];
	readonly releases: Releases;
	readonly obtainedBy: Map<string, number>;
	tick(): number;
	stored(): TokenId | null;
}

/** How `late` and `rejected` outcomes behave (the defaults are the property's; the others, its controls). */
export interface EndpointOptions {
	/** Whether a `rejected` outcome hands its tokens over with `keep()` first. */
	readonly keep: boolean;
	/** When a `late` answer comes, in fake ms after the call. */
	readonly lateAnswerAfter: number;
}

const never = new Promise<never>(() => undefined);

/** Fake time now (timers are fake: it moves only when the run advances it). */
export function fakeNow(): number {
	return vi.getMockedSystemTime()?.getTime() ?? 0;
}

export class TokenEndpoint {
	/** Every call into the refresh function, in order. */
	readonly calls: RefreshCall[] = [];
	/** Refresh tokens presented by `lost` calls: the server rotated them, the session never learnt it. */
	readonly lost: TokenId[] = [];
	/** Expired sets kept from rejected answers carry the clock of their spend as expiry: clock → families. */
	readonly keptAt = new Map<number, Set<number>>();
	/** Sign-ins of late answers already expired when they came (the session holds them with no expiry). */
	readonly expiredOnArrival = new Set<number>();
	readonly #world: EndpointWorld;
	readonly #outcomes: readonly Outcome[];
	readonly #keep: boolean;
	readonly #lateAnswerAfter: number;
	/** Calls into the refresh function not yet settled, by sign-in. */
	readonly #inflight = new Map<number, number>();

	constructor(world: EndpointWorld, outcomes: readonly Outcome[], options: EndpointOptions) {
		this.#world = world;
		this.#outcomes = outcomes;
		this.#keep = options.keep;
		this.#lateAnswerAfter = options.lateAnswerAfter;
	}

	/** The sign-ins whose kept (expired) tokens carry `expiresAt`, if any. */
	keptWith(expiresAt: number | null): ReadonlySet<number> | undefined {
		if (expiresAt === null) {
			return this.expiredOnArrival.size > 0 ? this.expiredOnArrival : undefined;
		}
		return this.keptAt.get(expiresAt);
	}

	/** One line per call, for a failing run's log. */
	describe(): string[] {
		return this.calls.map(call =>
			`refresh call ${call.call} (holder ${call.holder}, ${call.outcome}) at ${call.startedAt} ms: signal ${call.abortedAt === undefined ? 'never aborted' : `aborted at ${call.abortedAt}`}, ${call.settledAt === undefined ? 'never settled' : `settled at ${call.settledAt}`}`);
	}

	/** Holder `holder`'s refresh function: checks invariant 2, then does what the scenario's outcome says. */
	refreshOf(holder: number): RefreshFunction {
		return async ({tokens, signal, keep}) => {
			const call = this.calls.length;
			const outcome = this.#outcomes[call] ?? 'ok';
			const startedAt = this.#world.tick();
			const entry: RefreshCall = {call, holder, outcome, startedAt: fakeNow()};
			this.calls.push(entry);
			// The clock of the spend: tokens kept from a rejected answer expire at it.
			const clock = this.#world.server.clock;
			const family = parseToken(tokens?.refreshToken)?.family ?? -1;
			const running = (this.#inflight.get(family) ?? 0) + 1;
			this.#inflight.set(family, running);
			if (family >= 0 && running > 1) {
				this.#world.violations.push(`refresh call ${call}: ${running} refreshes of sign-in ${family} in flight at once`);
			}
			const onAbort = (): void => {
				entry.abortedAt = fakeNow();
			};
			signal.addEventListener('abort', onAbort, {once: true});
			const present = (): TokenSet | null => this.#present(call, tokens?.refreshToken, startedAt);
			try {
				switch (outcome) {
					case 'hang': {
						return await untilAborted(never, signal);
					}
					case 'lost': {
						present();
						return await untilAborted(never, signal);
					}
					case 'late': {
						const next = present();
						await new Promise<void>(resolve => {
							setTimeout(resolve, this.#lateAnswerAfter);
						});
						await this.#world.releases.schedule(Promise.resolve(`late answer of refresh call ${call}`), 'refresh');
						if (next?.expiresAt !== undefined && next.expiresAt <= this.#world.server.clock) {
							// Rotated before a clock jump: expired on arrival, held without an expiry.
							this.expiredOnArrival.add(family);
						}
						return next;
					}
					default: {
						await untilAborted(this.#world.releases.schedule(Promise.resolve(`refresh call ${call} answers ${outcome}`), 'refresh'), signal);
						if (outcome === 'throw') {
							throw new Error('the token endpoint could not be reached');
						}
						if (outcome === 'null') {
							return null;
						}
						const next = present();
						if (outcome === 'rejected' && next) {
							if (this.#keep) {
								keep?.(next);
								this.#noteKept(next.refreshToken, clock);
							}
							throw new Error('unexpected JWT "iss" (response parameter) value');
						}
						return next;
					}
				}
			} finally {
				signal.removeEventListener('abort', onAbort);
				entry.settledAt = fakeNow();
				this.#inflight.set(family, (this.#inflight.get(family) ?? 1) - 1);
			}
		};
	}

	/** Presents `refreshToken` to the server, checking invariant 3 (the spend) first. */
	#present(call: number, refreshToken: string | undefined, startedAt: number): TokenSet | null {
		const spending = parseToken(refreshToken);
		const stored = this.#world.stored();
		if (spending && stored?.family === spending.family && stored.generation > spending.generation) {
			this.#world.violations.push(`refresh call ${call} spent refresh token ${show(spending)} while ${show(stored)} was stored`);
		}
		if (spending && this.#outcomes[call] === 'lost') {
			this.lost.push(spending);
		}
		const next = this.#world.server.refresh(refreshToken);
		if (next) {
			this.#world.obtainedBy.set(next.accessToken, startedAt);
		}
		return next;
	}

	/** A rejected answer's tokens were kept: the session holds them expired at the clock of the spend. */
	#noteKept(refreshToken: string | undefined, clock: number): void {
		const family = parseToken(refreshToken)?.family;
		if (family !== undefined) {
			const families = this.keptAt.get(clock) ?? new Set<number>();
			families.add(family);
			this.keptAt.set(clock, families);
		}
	}
}
