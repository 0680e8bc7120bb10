/**
 * One run of the interleavings property: the holders (sessions with a fetch each), the shared store, the fake
 * server, the refresh function that plays the scenario's outcomes, and the bookkeeping behind the invariants
 * (documented in interleavings.property.test.ts).
 */
import {createAuthFetch, createAuthSession, type AuthSession} from '../../../src/index.js';
import {lockWaitLimit} from '../../../src/session/refresh/locked-refresh.js';
import {lateAnswerGrace} from '../../../src/session/refresh/spend.js';
import {knownBugs, quarantine, type KnownBug} from './known-bugs.js';
import {fakeNow, TokenEndpoint} from './refresh.js';
import type {Op, Outcome} from './scenario.js';
import {api, AuthServer, parseToken, sameToken, show, untilAborted, type TokenId, type User} from './server.js';
import {SharedStore, type Releases, type StoreJournal, type StoreMode} from './store.js';

/** Fake milliseconds: a hung refresh is abandoned after this long (time only moves when nothing else can). */
export const refreshTimeout = 1000;

/**
 * When a `late` answer comes: 15 s past the refresh timeout, inside the 30 s grace docs/token-lifecycle.md
 * promises for late answers (a literal on purpose: a shorter grace in src/session/spend.ts must fail the property).
 */
export const lateAnswerAfter = refreshTimeout + 15_000;

/**
 * The longest a request, sign-in, sign-out or manual refresh may take, from the session's own bounds: the first
 * read of the store (`refreshTimeout`), then at most two refreshes (the first, and one after a 401), each a wait
 * for another holder's lock (at most `lockWaitLimit`) and one's own refresh (`refreshTimeout`).
 */
export const operationBound = refreshTimeout + (2 * (lockWaitLimit(refreshTimeout) + refreshTimeout));

/** How a world's refresh function and checks behave; the defaults are the property's, the others its controls. */
export interface WorldOptions {
	readonly mode: StoreMode;
	/** Whether a `rejected` outcome hands its tokens over with `keep()` first (off: a control). */
	readonly keep?: boolean;
	/** When a `late` answer comes, in fake ms after the call (default: {@link lateAnswerAfter}). */
	readonly lateAnswerAfter?: number;
	/** Whether the presenting again of a `lost` refresh token is the one reuse allowed (off: a control). */
	readonly lostAllowed?: boolean;
	/** Whether the symptoms of {@link knownBugs} are set apart instead of failing the run (default: {@link quarantine}). */
	readonly quarantine?: Readonly<Record<KnownBug, boolean>>;
}

interface RequestLog {
	readonly id: number;
	readonly holder: number;
	/** The sign-ins its holder may have held when it started (`null`: signed out). */
	readonly started: ReadonlySet<number | null>;
	/** The sign-in of the token each send carried (`null`: none). */
	readonly sent: Array<number | null>;
}

interface AuthOp {
	readonly kind: 'signIn' | 'signOut';
	readonly holder: number;
	/** Which call into the store's `set` is its write. */
	readonly write: number;
}

export class World implements StoreJournal {
	readonly server = new AuthServer();
	readonly violations: string[] = [];
	/** Symptoms of {@link knownBugs}, set apart while quarantined. */
	readonly known: string[] = [];
	readonly requests: RequestLog[] = [];
	readonly authOps: AuthOp[] = [];
	/** Everything started that must settle: label → outcome (`undefined` while pending). */
	readonly tracked = new Map<string, string | undefined>();
	readonly sessions: AuthSession[] = [];
	/** Holders disposed (closed tabs). */
	readonly disposed = new Set<number>();
	readonly shared: SharedStore;
	readonly signedInAt = new Map<number, number>();
	readonly obtainedBy = new Map<string, number>();
	readonly releases: Releases;
	readonly endpoint: TokenEndpoint;
	readonly #lostAllowed: boolean;
	readonly #quarantine: Readonly<Record<KnownBug, boolean>>;
	/** Tracked operations that took fake time (see {@link brokenInvariants}). */
	readonly #tookTime: string[] = [];
	readonly #fetches: Array<typeof globalThis.fetch> = [];
	readonly #controllers: AbortController[] = [];
	#clock = 0;

	constructor(releases: Releases, holders: number, outcomes: readonly Outcome[], options: WorldOptions) {
		this.releases = releases;
		this.endpoint = new TokenEndpoint(this, outcomes, {keep: options.keep ?? true, lateAnswerAfter: options.lateAnswerAfter ?? lateAnswerAfter});
		this.#lostAllowed = options.lostAllowed ?? true;
		this.#quarantine = options.quarantine ?? quarantine;
		this.shared = new SharedStore(options.mode, releases, this, refreshTimeout);
		for (let index = 0; index < holders; index++) {
			const session = createAuthSession({store: this.shared.storeFor(index), refresh: this.endpoint.refreshOf(index), refreshTimeout, now: () => this.server.clock});
			this.sessions.push(session);
			this.#fetches.push(createAuthFetch(session, {allowedOrigins: [api], fetch: this.#fetch}));
		}
	}

	quarantined(bug: KnownBug): boolean {
		return this.#quarantine[bug];
	}

	tick(): number {
		return ++this.#clock;
	}

	/** What the store holds now. */
	stored(): TokenId | null {
		return this.shared.stored();
	}

	/**
	 * The sign-ins holder `index` may hold now, from its snapshot (`null`: signed out). Told by the access token's
	 * expiry, unique per token the server issues; more than one when that cannot tell (see below).
	 */
	heldBy(index: number): ReadonlySet<number | null> {
		const snapshot = this.sessionAt(index).getSnapshot();
		if (snapshot.status === 'signedOut') {
			return new Set([null]);
		}
		// `refreshing` without an expiry: a refresh while signed out, or of a late answer held without expiry.
		if (snapshot.status === 'refreshing' && snapshot.expiresAt === null) {
			return new Set([null, ...this.endpoint.expiredOnArrival]);
		}
		const family = this.server.familyOfExpiry(snapshot.expiresAt);
		if (family !== undefined) {
			return new Set([family]);
		}
		// Kept from a rejected answer: expired at the clock of its spend (only an `expire` moves that clock); or a
		// late answer expired on arrival (held with no expiry).
		const kept = this.endpoint.keptWith(snapshot.expiresAt);
		if (kept) {
			return kept;
		}
		this.violations.push(`holder ${index} is signed in but its snapshot's expiresAt ${snapshot.expiresAt} names no token`);
		return new Set([-1]);
	}

	sessionAt(index: number): AuthSession {
		const session = this.sessions[index % this.sessions.length];
		if (!session) {
			throw new Error('no holders');
		}
		return session;
	}

	apply(op: Op): void {
		const at = this.tick();
		// A disposed holder is a closed tab: it does nothing any more.
		if ('holder' in op && this.disposed.has(op.holder % this.sessions.length)) {
			return;
		}
		switch (op.kind) {
			case 'request': {
				this.#request(op.holder % this.sessions.length);
				break;
			}
			case 'burst': {
				for (let index = 0; index < op.count; index++) {
					this.#request(index % this.sessions.length);
				}
				break;
			}
			case 'abort': {
				this.#controllers[op.request % Math.max(1, this.#controllers.length)]?.abort(new Error('aborted by the caller'));
				break;
			}
			case 'revoke': {
				for (const family of this.heldBy(op.holder)) {
					if (family !== null) {
						this.server.revoke(family);
					}
				}
				break;
			}
			case 'signIn': {
				this.#signIn(op.holder % this.sessions.length, op.user);
				break;
			}
			case 'signOut': {
				const holder = op.holder % this.sessions.length;
				this.#authOp('signOut', holder, `signOut in holder ${holder} at ${at}`, () => this.sessionAt(holder).signOut());
				break;
			}
			case 'signInWhenSignedOut': {
				// A `signedout` listener that signs in a guest (issue 8: it must not be wiped by the sign-out's write).
				const holder = op.holder % this.sessions.length;
				this.sessionAt(holder).addEventListener('signedout', () => {
					this.#signIn(holder, 'bob');
				}, {once: true});
				break;
			}
			case 'storeFails': {
				this.shared.failWrites = op.on;
				break;
			}
			case 'writeFault': {
				this.shared.faultNextWrite(op.fault);
				break;
			}
			case 'dispose': {
				this.disposed.add(op.holder % this.sessions.length);
				this.sessionAt(op.holder).dispose();
				break;
			}
			case 'expire': {
				this.server.clock += 2e12;
				break;
			}
			case 'pause': {
				// Played by the run (run.ts): the sequence waits on a timer.
				break;
			}
			case 'refresh': {
				this.track(`manual refresh in holder ${op.holder % this.sessions.length} at ${at}`, this.sessionAt(op.holder).refresh());
				break;
			}
		}
	}

	/**
	 * Tracks what must settle (invariant 4). `bounded`: it must settle within {@link operationBound} fake ms (the
	 * tasks run inside the lock must only settle: a commit the store does not answer is retried until it lands).
	 */
	track(label: string, promise: Promise<unknown>, bounded = true): void {
		const startedAt = fakeNow();
		this.tracked.set(label, undefined);
		const settled = (outcome: string): void => {
			const took = fakeNow() - startedAt;
			this.tracked.set(label, took > 0 ? `${outcome} after ${took} ms` : outcome);
			if (bounded && took > 0) {
				this.#tookTime.push(`${label} took ${took} ms`);
			}
			if (bounded && took > operationBound) {
				this.violations.push(`${label} took ${took} ms, past the session's bound of ${operationBound} ms`);
			}
		};
		promise.then(
			value => {
				settled(value instanceof Response ? `status ${value.status}` : 'resolved');
			},
			(error: unknown) => {
				const {name, code} = error as {name?: string; code?: string};
				settled(`rejected ${name ?? 'non-error'} ${code ?? ''}`.trim());
			},
		);
	}

	/** The invariants checked at the end of a run, with those checked as it went: what broke, one line each. */
	brokenInvariants(): string[] {
		const broken = [...this.violations];
		const pending = [...this.tracked].filter(([, outcome]) => outcome === undefined).map(([label]) => label);
		if (pending.length > 0) {
			broken.push(`left pending once nothing could move: ${pending.join(', ')}`);
		}
		broken.push(...this.#unboundedRefreshes());
		// Only a fault that takes time (a refresh that hangs, answers late or is lost; a store write not answered in
		// time) can make anything wait for a timer: without one, every operation ends without fake time moving.
		const slowOutcomes = this.endpoint.calls.some(call => call.outcome === 'hang' || call.outcome === 'late' || call.outcome === 'lost');
		if (!slowOutcomes && this.shared.faultLog.length === 0 && this.#tookTime.length > 0) {
			broken.push(`without a fault that takes time, operations waited for a timer: ${this.#tookTime.join(', ')}`);
		}
		broken.push(...this.#unexplainedReuses(), ...this.#signOutUndone());
		return broken;
	}

	/** A log of what happened, for a failing run's message. */
	describe(): string {
		const {server} = this;
		const requests = this.requests.map(log =>
			`#${log.id} holder ${log.holder} started ${[...log.started].map(family => server.userOf(family)).join(' or ')} sent [${log.sent.map(family => server.userOf(family)).join(', ')}] → ${this.tracked.get(`request #${log.id}`) ?? 'pending'}`);
		const others = [...this.tracked].filter(([label]) => !label.startsWith('request')).map(([label, outcome]) => `${label} → ${outcome ?? 'pending'}`);
		return [
			...requests,
			...others,
			...this.endpoint.describe(),
			...this.shared.faultLog,
			`stored: ${show(this.stored())}`,
			`lost: ${this.endpoint.lost.map(show).join(', ') || 'none'}`,
			`reuses: ${server.reuses.map(show).join(', ') || 'none'}`,
			...this.known.map(line => `known bug: ${line}`),
		].join('\n');
	}

	/** Invariant 4, the refresh's own bound: its signal aborts within `refreshTimeout` and the late answer's grace of the call, unless it settled first. */
	#unboundedRefreshes(): string[] {
		return this.endpoint.calls.filter(call => {
			const deadline = call.startedAt + refreshTimeout + lateAnswerGrace;
			return (call.settledAt === undefined || call.settledAt > deadline) && (call.abortedAt === undefined || call.abortedAt > deadline);
		}).map(call => `refresh call ${call.call} (holder ${call.holder}, ${call.outcome}) ran past refreshTimeout and its grace, and its signal ${call.abortedAt === undefined ? 'never aborted' : `aborted only at ${call.abortedAt} ms`}`);
	}

	/**
	 * Invariant 3 at the end: without store write failures or lost answers, the server detected no reuse; every
	 * reuse is of a refresh token whose successor a failed store write kept out of the store, or of a refresh
	 * token a `lost` call presented (the one unknown outcome: see the property file's header).
	 */
	#unexplainedReuses(): string[] {
		const unexplained = this.server.reuses.filter(reuse =>
			!this.shared.failedWrites.some(failed => failed.family === reuse.family && failed.generation > reuse.generation)
			&& !(this.#lostAllowed && this.endpoint.lost.some(lost => sameToken(lost, reuse))));
		if (unexplained.length === 0) {
			return [];
		}
		const why = this.shared.writeFailures === 0 && this.endpoint.lost.length === 0 ? 'without any store failure or lost answer' : 'though no write of a newer generation failed and no answer to them was lost';
		return [`refresh tokens spent twice ${why}: ${unexplained.map(show).join(', ')}`];
	}

	/** Invariant 5 at the end: the last sign-in/sign-out is a sign-out whose write landed last: everyone ends signed out. */
	#signOutUndone(): string[] {
		const last = this.authOps.at(-1);
		if (last?.kind !== 'signOut' || !this.shared.landedSets.has(last.write) || last.write !== this.shared.lastLandedSet) {
			return [];
		}
		const lines: Array<{line: string; families: ReadonlySet<number>}> = [];
		const stored = this.stored();
		if (stored !== null) {
			lines.push({line: `the last operation was a sign-out in holder ${last.holder}, but the store ends with ${show(stored)}`, families: new Set([stored.family])});
		}
		this.sessions.forEach((_session, index) => {
			const families = new Set([...this.heldBy(index)].filter(family => family !== null));
			if (families.size > 0 && !this.disposed.has(index)) {
				lines.push({line: `the last operation was a sign-out in holder ${last.holder}, but holder ${index} ends signed in as ${[...families].map(family => this.server.userOf(family)).join(' or ')}`, families});
			}
		});
		// The third known bug (quarantined): a sign-in whose write failed, taking the later sign-out for stale.
		const known = ({families}: {families: ReadonlySet<number>}): boolean => this.quarantined('signOutUndoneByWriteAgain')
			&& (this.shared.knownUndo || [...families].some(family => this.shared.failedWrites.some(failed => failed.family === family)));
		this.known.push(...lines.filter(entry => known(entry)).map(({line}) => `${line} (${knownBugs.signOutUndoneByWriteAgain})`));
		return lines.filter(entry => !known(entry)).map(({line}) => line);
	}

	#signIn(holder: number, user: User): void {
		const tokens = this.server.signIn(user);
		const family = this.server.families.length - 1;
		this.signedInAt.set(family, this.tick());
		this.#authOp('signIn', holder, `signIn #${family} as ${user} in holder ${holder}`, async () => this.sessionAt(holder).signIn(tokens));
	}

	/** Runs a sign-in or sign-out, noting which store write is its own (the session calls `set` synchronously). */
	#authOp(kind: AuthOp['kind'], holder: number, label: string, run: () => Promise<void>): void {
		const write = this.shared.setCalls;
		this.authOps.push({kind, holder, write});
		const promise = run();
		if (this.shared.setCalls !== write + 1) {
			this.violations.push(`${label} did not write the store synchronously`);
		}
		this.track(label, promise);
	}

	#request(holder: number): void {
		const id = this.requests.length;
		const controller = new AbortController();
		this.#controllers.push(controller);
		this.requests.push({id, holder, started: this.heldBy(holder), sent: []});
		const fetch = this.#fetches[holder];
		if (fetch) {
			this.track(`request #${id}`, fetch(`${api}/data`, {signal: controller.signal, headers: {'x-request': String(id)}}));
		}
	}

	/** The API: checks invariant 1 on every send, answers 200 or 401 (decided when the answer is released). */
	readonly #fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
		const request = input instanceof Request ? input : new Request(input, init);
		const log = this.requests[Number(request.headers.get('x-request'))];
		const authorization = request.headers.get('authorization');
		if (log) {
			const carried = authorization === null ? null : parseToken(authorization)?.family ?? -1;
			log.sent.push(carried);
			if (!log.started.has(carried)) {
				const started = [...log.started].map(family => this.server.userOf(family)).join(' or ');
				this.violations.push(`request #${log.id} (holder ${log.holder}) started ${started}, send ${log.sent.length} carried a token of ${this.server.userOf(carried)}`);
			}
		}
		await untilAborted(this.releases.schedule(Promise.resolve(`answer to request #${log?.id ?? '?'}`), 'api'), request.signal);
		return new Response(null, {status: this.server.accepts(authorization) ? 200 : 401});
	};


}
