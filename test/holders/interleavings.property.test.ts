/**
 * Issue 8, "Proof", property test: 2–3 holders (sessions) share one memoryStore and are driven through random
 * interleavings (fast-check's scheduler releases every API answer, refresh answer and the next operation in a
 * random order) of requests through createAuthFetch (each with its own AbortController), 401s (the server
 * revokes access tokens), refresh outcomes (ok, null, throw, hang), sign-in and sign-out in any holder (also
 * from a `signedout` listener), dispose, a clock jump that expires every token, manual refreshes and store
 * write failures, against a fake authorization server that rotates refresh tokens and detects reuse (a spent
 * refresh token presented again revokes its whole sign-in).
 *
 * Time is fake (setTimeout only): it moves only when nothing else can, so a hung refresh (one that never answers
 * and rejects only when its signal aborts) ends at the refresh timeout without real waiting, and a run is
 * deterministic for its seed. The same property runs again with the store answering asynchronously (reads and
 * writes land when the scheduler says, as with IndexedDB or Redis).
 *
 * Invariants (checked while the run goes, then at its end):
 * 1. a request never carries a token of a sign-in other than the one its holder held when it started
 *    (checked on every send, the retry included; signed out at the start: it carries no token);
 * 2. at most one call into the refresh function per sign-in is in flight, across all holders;
 * 3. a refresh token is never spent while a newer generation of its sign-in is stored; without store write
 *    failures the server detects no reuse at all; with them, every reuse is of a refresh token whose successor
 *    a failed store write kept out of the store (the only holder that knew it could not share it);
 * 4. no request, sign-in, sign-out or manual refresh is left pending once nothing can move any more (a bound
 *    on the rounds of "release everything, then the next timer", not a sleep);
 * 5. a sign-out is never undone: a refresh commit never writes a sign-in over a later sign-out or over a later
 *    sign-in; and when the last sign-in/sign-out operation is a sign-out whose store write landed last, the
 *    store and every holder still open end signed out.
 *
 * Runs: INTERLEAVINGS_RUNS and INTERLEAVINGS_SEED override the number of runs and the seed when hunting.
 */
import fc from 'fast-check';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {
	createAuthFetch,
	createAuthSession,
	memoryStore,
	type AuthSession,
	type RefreshFunction,
	type TokenRecord,
	type TokenRecordVersion,
	type TokenSet,
	type TokenStore,
} from '../../src/index.js';

const api = 'https://api.example.test';
/** Fake milliseconds: a hung refresh is abandoned after this long (time only moves when nothing else can). */
const refreshTimeout = 1000;

type User = 'alice' | 'bob';

/** Which sign-in (family, numbered in sign-in order) and which generation a token belongs to. */
interface TokenId {
	readonly family: number;
	readonly generation: number;
}

/** Tokens look like `at.<family>.<generation>` / `rt.<family>.<generation>` (optionally after `Bearer `). */
function parseToken(token: string | null | undefined): TokenId | null {
	const match = /^(?:Bearer )?(?:at|rt)\.(\d+)\.(\d+)$/.exec(token ?? '');
	return match ? {family: Number(match[1]), generation: Number(match[2])} : null;
}

function idOfRecord(value: TokenRecord | TokenSet | null): TokenId | null {
	if (value === null) {
		return null;
	}
	return parseToken('tokens' in value ? value.tokens.accessToken : value.accessToken);
}

function show(id: TokenId | null): string {
	return id ? `${id.family}.${id.generation}` : 'nothing';
}

/** Settles like `promise`, or rejects with the abort reason as soon as `signal` aborts (as fetch does). */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	signal.throwIfAborted();
	let onAbort = (): void => undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => {
			reject(signal.reason as Error);
		};
		signal.addEventListener('abort', onAbort, {once: true});
	});
	try {
		return await Promise.race([promise, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/** One macrotask turn: every microtask queued so far has run (fake time does not move). */
async function turn(): Promise<void> {
	await new Promise<void>(resolve => {
		setImmediate(resolve);
	});
}

/**
 * A token endpoint and an API. Each sign-in is a family of tokens with rotation: a refresh token is good once;
 * presented again it revokes the family (reuse detection). Access tokens are good while their family lives and
 * until they are revoked (the way to make the API answer 401).
 */
class AuthServer {
	readonly families: Array<{user: User; alive: boolean; generation: number; revokedThrough: number}> = [];
	/** Refresh tokens presented after they were spent. */
	readonly reuses: TokenId[] = [];
	/** The clock the sessions read: tokens expire 1e12 ms after issue (only a clock jump expires them). */
	clock = 0;
	readonly #familyByExpiry = new Map<number, number>();

	signIn(user: User): TokenSet {
		this.families.push({user, alive: true, generation: 0, revokedThrough: -1});
		return this.#issue(this.families.length - 1, 0);
	}

	/** Rotates `refreshToken`; `null` is `invalid_grant` (unknown, revoked, or reused: then the family is revoked). */
	refresh(refreshToken: string | undefined): TokenSet | null {
		const id = parseToken(refreshToken);
		const family = id && this.families[id.family];
		if (!id || !family?.alive) {
			return null;
		}
		if (id.generation !== family.generation) {
			family.alive = false;
			this.reuses.push(id);
			return null;
		}
		family.generation++;
		return this.#issue(id.family, family.generation);
	}

	/** Whether the API accepts this Authorization header. */
	accepts(authorization: string | null): boolean {
		const id = parseToken(authorization);
		const family = id && this.families[id.family];
		return id !== null && family !== undefined && family !== null && family.alive && id.generation > family.revokedThrough;
	}

	/** Every access token issued so far in `family` gets 401 from now on. */
	revoke(family: number): void {
		const entry = this.families[family];
		if (entry) {
			entry.revokedThrough = entry.generation;
		}
	}

	/** The sign-in a holder holds, told by the (unique) expiry of its access token that its snapshot shows. */
	familyOfExpiry(expiresAt: number | null): number | undefined {
		return expiresAt === null ? undefined : this.#familyByExpiry.get(expiresAt);
	}

	userOf(family: number | null): string {
		return family === null ? 'signed out' : `${this.families[family]?.user ?? '?'} (sign-in ${family})`;
	}

	#issue(family: number, generation: number): TokenSet {
		const expiresAt = this.clock + 1e12 + (family * 1000) + generation;
		this.#familyByExpiry.set(expiresAt, family);
		return {accessToken: `at.${family}.${generation}`, refreshToken: `rt.${family}.${generation}`, expiresAt};
	}
}

type Outcome = 'ok' | 'null' | 'throw' | 'hang';

/** One step of a scenario. `holder` and `request` are taken modulo what exists. */
type Op =
	| {readonly kind: 'request'; readonly holder: number}
	| {readonly kind: 'burst'; readonly count: number}
	| {readonly kind: 'abort'; readonly request: number}
	| {readonly kind: 'revoke'; readonly holder: number}
	| {readonly kind: 'signIn'; readonly holder: number; readonly user: User}
	| {readonly kind: 'signOut'; readonly holder: number}
	| {readonly kind: 'signInWhenSignedOut'; readonly holder: number}
	| {readonly kind: 'storeFails'; readonly on: boolean}
	| {readonly kind: 'dispose'; readonly holder: number}
	| {readonly kind: 'expire'}
	| {readonly kind: 'refresh'; readonly holder: number};

interface Scenario {
	/** How many sessions share the store. */
	readonly holders: number;
	/** Holder 0 signs in as alice before the operations start. */
	readonly signedIn: boolean;
	/** What the n-th call into the refresh function does (`ok` once they run out). */
	readonly outcomes: readonly Outcome[];
	readonly ops: readonly Op[];
}

/** How the shared memoryStore answers. */
interface StoreMode {
	/** Reads and writes answer later, released by the scheduler (as IndexedDB or Redis would); writes land then. */
	readonly async: boolean;
	/** Whether holders share the store's lock (off only to show that the property catches it). */
	readonly lock: boolean;
}

/** What the world needs from a scheduler (fast-check's). */
interface Releases {
	schedule<T>(task: Promise<T>, label?: string): Promise<T>;
}

interface RequestLog {
	readonly id: number;
	readonly holder: number;
	/** The sign-in its holder held when it started (`null`: signed out). */
	readonly started: number | null;
	/** The sign-in of the token each send carried (`null`: none). */
	readonly sent: Array<number | null>;
}

interface AuthOp {
	readonly kind: 'signIn' | 'signOut';
	readonly holder: number;
	/** Which call into the store's `set` is its write. */
	readonly write: number;
	/** Whether it resolved (its store write landed); `undefined` while pending. */
	stored: boolean | undefined;
}

/** Holders, store, server and the bookkeeping behind the invariants, for one run. */
class World {
	readonly server = new AuthServer();
	readonly violations: string[] = [];
	readonly requests: RequestLog[] = [];
	readonly authOps: AuthOp[] = [];
	/** Everything started that must settle: label → outcome (`undefined` while pending). */
	readonly tracked = new Map<string, string | undefined>();
	readonly sessions: AuthSession[] = [];
	/** Holders disposed (closed tabs). */
	readonly disposed = new Set<number>();
	/** Tokens of records whose store write failed (what a failed write kept out of the store). */
	readonly failedWrites: TokenId[] = [];
	/** Store writes (set or compareAndSet) that failed, records or `null`. */
	writeFailures = 0;
	readonly inner = memoryStore();
	readonly store: TokenStore;
	readonly #releases: Releases;
	readonly #mode: StoreMode;
	readonly #outcomes: readonly Outcome[];
	readonly #fetches: Array<typeof globalThis.fetch> = [];
	readonly #controllers: AbortController[] = [];
	/** Calls into the refresh function in flight, by sign-in (aborted ones count as ended). */
	readonly #inflight = new Map<number, number>();
	/** When the refresh call that obtained an access token started, by that token. */
	readonly #obtainedBy = new Map<string, number>();
	/** When each sign-in's signIn ran, by family. */
	readonly #signedInAt = new Map<number, number>();
	/** When what is stored now was written by a sign-out (`undefined`: it was not). */
	#signedOutAt: number | undefined;
	/** Calls into the store's `set` so far, and the last one that landed. */
	#setCalls = 0;
	#lastLandedSet = -1;
	#failWrites = false;
	#refreshCalls = 0;
	#clock = 0;

	constructor(releases: Releases, holders: number, outcomes: readonly Outcome[], mode: StoreMode = {async: false, lock: true}) {
		this.#releases = releases;
		this.#mode = mode;
		this.#outcomes = outcomes;
		this.store = this.#wrapStore();
		for (let index = 0; index < holders; index++) {
			const session = createAuthSession({store: this.store, refresh: this.#refresh, refreshTimeout, now: () => this.server.clock});
			this.sessions.push(session);
			this.#fetches.push(createAuthFetch(session, {allowedOrigins: [api], fetch: this.#fetch}));
		}
	}

	/** What the store holds now. */
	stored(): TokenId | null {
		return idOfRecord(this.#storedValue());
	}

	/** The sign-in holder `index` holds now, from its snapshot (`null`: signed out). */
	heldBy(index: number): number | null {
		const snapshot = this.sessionAt(index).getSnapshot();
		// Every token the server issues has an expiry: `refreshing` without one is a refresh while signed out.
		if (snapshot.status === 'signedOut' || (snapshot.status === 'refreshing' && snapshot.expiresAt === null)) {
			return null;
		}
		const family = this.server.familyOfExpiry(snapshot.expiresAt);
		if (family === undefined) {
			this.violations.push(`holder ${index} is signed in but its snapshot's expiresAt ${snapshot.expiresAt} names no token`);
			return -1;
		}
		return family;
	}

	sessionAt(index: number): AuthSession {
		const session = this.sessions[index % this.sessions.length];
		if (!session) {
			throw new Error('no holders');
		}
		return session;
	}

	apply(op: Op): void {
		const at = this.#tick();
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
				const family = this.heldBy(op.holder);
				if (family !== null) {
					this.server.revoke(family);
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
				this.#failWrites = op.on;
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
			case 'refresh': {
				this.track(`manual refresh in holder ${op.holder % this.sessions.length} at ${at}`, this.sessionAt(op.holder).refresh());
				break;
			}
		}
	}

	track(label: string, promise: Promise<unknown>): void {
		this.tracked.set(label, undefined);
		promise.then(
			value => {
				this.tracked.set(label, value instanceof Response ? `status ${value.status}` : 'resolved');
			},
			(error: unknown) => {
				const {name, code} = error as {name?: string; code?: string};
				this.tracked.set(label, `rejected ${name ?? 'non-error'} ${code ?? ''}`.trim());
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
		if (this.writeFailures === 0) {
			if (this.server.reuses.length > 0) {
				broken.push(`refresh tokens spent twice without any store failure: ${this.server.reuses.map(show).join(', ')}`);
			}
		} else {
			const unexplained = this.server.reuses.filter(reuse =>
				!this.failedWrites.some(failed => failed.family === reuse.family && failed.generation > reuse.generation));
			if (unexplained.length > 0) {
				broken.push(`refresh tokens spent twice though no write of a newer generation failed: ${unexplained.map(show).join(', ')}`);
			}
		}
		const last = this.authOps.at(-1);
		if (last?.kind === 'signOut' && last.stored === true && last.write === this.#lastLandedSet) {
			if (this.stored() !== null) {
				broken.push(`the last operation was a sign-out in holder ${last.holder}, but the store ends with ${show(this.stored())}`);
			}
			this.sessions.forEach((_session, index) => {
				const family = this.heldBy(index);
				if (family !== null && !this.disposed.has(index)) {
					broken.push(`the last operation was a sign-out in holder ${last.holder}, but holder ${index} ends signed in as ${this.server.userOf(family)}`);
				}
			});
		}
		return broken;
	}

	/** A log of what happened, for a failing run's message. */
	describe(): string {
		const requests = this.requests.map(log =>
			`#${log.id} holder ${log.holder} started ${this.server.userOf(log.started)} sent [${log.sent.map(family => this.server.userOf(family)).join(', ')}] → ${this.tracked.get(`request #${log.id}`) ?? 'pending'}`);
		const others = [...this.tracked].filter(([label]) => !label.startsWith('request')).map(([label, outcome]) => `${label} → ${outcome ?? 'pending'}`);
		return [...requests, ...others, `stored: ${show(this.stored())}`, `reuses: ${this.server.reuses.map(show).join(', ') || 'none'}`].join('\n');
	}

	#tick(): number {
		return ++this.#clock;
	}

	#storedValue(): TokenRecord | TokenSet | null {
		const value = this.inner.get();
		if (value instanceof Promise) {
			throw new TypeError('memoryStore.get() is synchronous');
		}
		return value;
	}

	#signIn(holder: number, user: User): void {
		const tokens = this.server.signIn(user);
		const family = this.server.families.length - 1;
		this.#signedInAt.set(family, this.#tick());
		this.#authOp('signIn', holder, `signIn #${family} as ${user} in holder ${holder}`, async () => this.sessionAt(holder).signIn(tokens));
	}

	/** Runs a sign-in or sign-out, noting which store write is its own (the session calls `set` synchronously). */
	#authOp(kind: AuthOp['kind'], holder: number, label: string, run: () => Promise<void>): void {
		const entry: AuthOp = {kind, holder, write: this.#setCalls, stored: undefined};
		this.authOps.push(entry);
		const promise = run();
		if (this.#setCalls !== entry.write + 1) {
			this.violations.push(`${label} did not write the store synchronously`);
		}
		promise.then(() => {
			entry.stored = true;
		}, () => {
			entry.stored = false;
		});
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
			if (carried !== log.started) {
				this.violations.push(`request #${log.id} (holder ${log.holder}) started ${this.server.userOf(log.started)}, send ${log.sent.length} carried a token of ${this.server.userOf(carried)}`);
			}
		}
		await untilAborted(this.#releases.schedule(Promise.resolve(`answer to request #${log?.id ?? '?'}`), 'api'), request.signal);
		return new Response(null, {status: this.server.accepts(authorization) ? 200 : 401});
	};

	/** The refresh function: checks invariants 2 and 3 (the spend), then does what the scenario says. */
	readonly #refresh: RefreshFunction = async ({tokens, signal}) => {
		const call = this.#refreshCalls++;
		const outcome = this.#outcomes[call] ?? 'ok';
		const startedAt = this.#tick();
		const spending = parseToken(tokens?.refreshToken);
		const family = spending?.family ?? -1;
		const running = (this.#inflight.get(family) ?? 0) + 1;
		this.#inflight.set(family, running);
		if (spending && running > 1) {
			this.violations.push(`refresh call ${call}: ${running} refreshes of sign-in ${family} in flight at once`);
		}
		let ended = false;
		const end = (): void => {
			if (!ended) {
				ended = true;
				this.#inflight.set(family, (this.#inflight.get(family) ?? 1) - 1);
			}
		};
		signal.addEventListener('abort', end, {once: true});
		try {
			if (outcome === 'hang') {
				return await untilAborted(new Promise<never>(() => undefined), signal);
			}
			await untilAborted(this.#releases.schedule(Promise.resolve(`refresh call ${call} answers ${outcome}`), 'refresh'), signal);
			if (outcome === 'throw') {
				throw new Error('the token endpoint could not be reached');
			}
			if (outcome === 'null') {
				return null;
			}
			const stored = this.stored();
			if (spending && stored?.family === spending.family && stored.generation > spending.generation) {
				this.violations.push(`refresh call ${call} spent refresh token ${show(spending)} while ${show(stored)} was stored`);
			}
			const next = this.server.refresh(tokens?.refreshToken);
			if (next) {
				this.#obtainedBy.set(next.accessToken, startedAt);
			}
			return next;
		} finally {
			signal.removeEventListener('abort', end);
			end();
		}
	};

	/** Waits for the scheduler to let a store call answer (asynchronous mode only). */
	async #storeAnswer(label: string): Promise<void> {
		if (this.#mode.async) {
			await this.#releases.schedule(Promise.resolve(label), 'store');
		}
	}

	/**
	 * memoryStore, whose writes fail on command (a failed write changes nothing), checking every refresh commit
	 * against invariant 5 as it lands. In asynchronous mode every call answers when the scheduler releases it
	 * (and a write lands then, compare-and-set staying atomic).
	 */
	#wrapStore(): TokenStore {
		const {inner} = this;
		const {lock, subscribe, compareAndSet} = inner;
		if (!lock || !subscribe || !compareAndSet) {
			throw new TypeError('memoryStore has lock, subscribe and compareAndSet');
		}
		const failIfDown = (record: TokenRecord | null): void => {
			if (this.#failWrites) {
				this.writeFailures++;
				const id = record && idOfRecord(record);
				if (id) {
					this.failedWrites.push(id);
				}
				throw new Error('the store is down');
			}
		};
		const set = (record: TokenRecord | null, call: number): void => {
			failIfDown(record);
			void inner.set(record); // memoryStore writes synchronously
			this.#lastLandedSet = call;
			this.#signedOutAt = record === null ? this.#tick() : undefined;
		};
		const commit = (expected: TokenRecordVersion, next: TokenRecord | null): boolean => {
			failIfDown(next);
			const before = this.stored();
			if (compareAndSet(expected, next) !== true) {
				return false;
			}
			this.#checkCommit(before, next);
			if (next !== null) {
				this.#signedOutAt = undefined;
			}
			return true;
		};
		const store: TokenStore = this.#mode.async
			? {
				get: async () => {
					await this.#storeAnswer('store get');
					return inner.get();
				},
				set: async record => {
					const call = this.#setCalls++;
					await this.#storeAnswer(`store set #${call}`);
					set(record, call);
				},
				compareAndSet: async (expected, next) => {
					await this.#storeAnswer('store compareAndSet');
					return commit(expected, next);
				},
				subscribe: listener => subscribe(listener),
			}
			: {
				get: () => inner.get(),
				set: record => {
					set(record, this.#setCalls++);
				},
				compareAndSet: commit,
				subscribe: listener => subscribe(listener),
			};
		if (this.#mode.lock) {
			store.lock = async <T>(task: () => Promise<T>, signal: AbortSignal) => lock(task, signal);
		}
		return store;
	}

	/** A refresh commit landed, replacing `before` with `next`. */
	#checkCommit(before: TokenId | null, next: TokenRecord | null): void {
		const after = next && idOfRecord(next);
		if (!after) {
			return;
		}
		if (before && before.family > after.family) {
			this.violations.push(`a refresh of sign-in ${after.family} was committed over the later sign-in ${before.family}`);
		}
		if (before?.family === after.family && before.generation >= after.generation) {
			this.violations.push(`a refresh commit replaced ${show(before)} with the older or same ${show(after)}`);
		}
		const signedInAt = this.#signedInAt.get(after.family) ?? 0;
		if (!before && this.#signedOutAt !== undefined && this.#signedOutAt > signedInAt) {
			const started = this.#obtainedBy.get(next.tokens.accessToken);
			const when = started !== undefined && started < this.#signedOutAt ? 'started before it' : 'started after it';
			this.violations.push(`a refresh of sign-in ${after.family} (${when}) was committed over the later sign-out written at ${this.#signedOutAt}`);
		}
	}
}

/** Runs a world until nothing can move: every released answer and every timer that is due (fake time). */
async function settle(release: () => Promise<void>, pending: () => number): Promise<void> {
	// A bound on the rounds, not a sleep: a run that still moves after this many is a failure (left pending).
	for (let round = 0; round < 200; round++) {
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

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
	{weight: 5, arbitrary: fc.record({kind: fc.constant('request' as const), holder: fc.nat(2)})},
	{weight: 2, arbitrary: fc.record({kind: fc.constant('burst' as const), count: fc.integer({min: 2, max: 6})})},
	{weight: 4, arbitrary: fc.record({kind: fc.constant('revoke' as const), holder: fc.nat(2)})},
	{weight: 2, arbitrary: fc.record({kind: fc.constant('abort' as const), request: fc.nat(30)})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('signIn' as const), holder: fc.nat(2), user: fc.constantFrom<User>('alice', 'bob')})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('signOut' as const), holder: fc.nat(2)})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('signInWhenSignedOut' as const), holder: fc.nat(2)})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('storeFails' as const), on: fc.boolean()})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('dispose' as const), holder: fc.nat(2)})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('expire' as const)})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('refresh' as const), holder: fc.nat(2)})},
);

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({
	holders: fc.integer({min: 2, max: 3}),
	signedIn: fc.constantFrom(true, true, true, false),
	outcomes: fc.array(fc.constantFrom<Outcome>('ok', 'ok', 'null', 'throw', 'hang'), {maxLength: 6}),
	ops: fc.array(opArbitrary, {minLength: 1, maxLength: 30}),
});

function describeOp(op: Op): string {
	const {kind, ...rest} = op;
	const fields = Object.entries(rest).map(([key, value]) => `${key}=${String(value)}`).join(' ');
	return fields === '' ? kind : `${kind} ${fields}`;
}

/** One run of a scenario under fast-check's scheduler; throws (with a log of the run) when an invariant broke. */
async function runScenario(scheduler: fc.Scheduler, scenario: Scenario, mode: StoreMode): Promise<void> {
	const world = new World(scheduler, scenario.holders, scenario.outcomes, mode);
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

const property = (mode: StoreMode) => fc.asyncProperty(fc.scheduler(), scenarioArbitrary, async (scheduler, scenario) => runScenario(scheduler, scenario, mode));

beforeEach(() => {
	vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
});

afterEach(() => {
	vi.clearAllTimers();
	vi.useRealTimers();
});

describe('holders sharing one memoryStore, over random interleavings', () => {
	it('never cross sign-ins, refresh once at a time, never reuse a refresh token, never hang, never undo a sign-out', async () => {
		await fc.assert(property({async: false, lock: true}), {numRuns: Number(process.env.INTERLEAVINGS_RUNS ?? 800), seed: process.env.INTERLEAVINGS_SEED ? Number(process.env.INTERLEAVINGS_SEED) : undefined});
	}, 60_000);

	it('the same when the store answers asynchronously (reads and writes land when the scheduler says)', async () => {
		await fc.assert(property({async: true, lock: true}), {numRuns: Number(process.env.INTERLEAVINGS_RUNS ?? 800), seed: process.env.INTERLEAVINGS_SEED ? Number(process.env.INTERLEAVINGS_SEED) : undefined});
	}, 60_000);

	it('catches holders that do not share a lock (the check can fail)', async () => {
		const result = await fc.check(property({async: false, lock: false}), {numRuns: 200, seed: 1});
		expect(result.failed).toBe(true);
		expect(String(result.errorInstance)).toContain('in flight at once');
	});
});

/**
 * memoryStore behind an asynchronous interface whose writes can be held back (an IndexedDB transaction or a
 * Redis round trip that has not landed yet): while `hold` is on, each write waits until `land()`.
 */
function slowWriteStore() {
	const inner = memoryStore();
	const {lock, subscribe, compareAndSet} = inner;
	if (!lock || !subscribe || !compareAndSet) {
		throw new TypeError('memoryStore has lock, subscribe and compareAndSet');
	}
	const waiting: Array<() => void> = [];
	const control = {
		hold: false,
		/** How many writes are held back. */
		get held(): number {
			return waiting.length;
		},
		/** Lets every held write land, in the order they were made. */
		land(): void {
			for (const write of waiting.splice(0)) {
				write();
			}
		},
	};
	const landing = async (): Promise<void> => {
		if (control.hold) {
			await new Promise<void>(resolve => {
				waiting.push(resolve);
			});
		}
	};
	const store: TokenStore = {
		get: async () => inner.get(),
		set: async record => {
			await landing();
			await inner.set(record);
		},
		compareAndSet: async (expected, next) => {
			await landing();
			return compareAndSet(expected, next);
		},
		subscribe: listener => subscribe(listener),
		lock: async <T>(task: () => Promise<T>, signal: AbortSignal) => lock(task, signal),
	};
	return {inner, store, control};
}

/** Two holders on a slow-write store, against the fake server; the API answers at once. */
async function twoHolders() {
	const server = new AuthServer();
	const {inner, store, control} = slowWriteStore();
	const refresh: RefreshFunction = async ({tokens, signal}) => {
		signal.throwIfAborted();
		return server.refresh(tokens?.refreshToken);
	};
	const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
		const request = input instanceof Request ? input : new Request(input, init);
		return new Response(null, {status: server.accepts(request.headers.get('authorization')) ? 200 : 401});
	};
	const holders = [0, 1].map(() => {
		const session = createAuthSession({store, refresh, refreshTimeout, now: () => server.clock});
		return {session, fetch: createAuthFetch(session, {allowedOrigins: [api], fetch})};
	});
	const [a, b] = holders;
	if (!a || !b) {
		throw new Error('two holders');
	}
	await a.session.signIn(server.signIn('alice'));
	await settleMicrotasks(() => b.session.getSnapshot().status === 'signedIn');
	return {server, inner, control, a, b};
}

/** Turns the event loop until `done()` (a bounded number of turns: fake time never moves here). */
async function settleMicrotasks(done: () => boolean): Promise<void> {
	for (let index = 0; index < 50 && !done(); index++) {
		await turn();
	}
	if (!done()) {
		throw new Error('the condition never held');
	}
}

describe('regressions shrunk from the property (asynchronous store writes)', () => {
	// Shrunk from the asynchronous-store property (e.g. INTERLEAVINGS_SEED=14 INTERLEAVINGS_RUNS=2000; also
	// seeds 11 and 18): holder A's refresh has spent rt 0.0 and its compare-and-set of 0.1 is still being
	// written when A's epoch changes (its own sign-out or sign-in). runRefresh bounds the lock's task by the
	// session signal, so the lock is released at once; B (401 on 0.0) takes it, reads 0.0 (or reads it just
	// before 0.1 lands) and spends rt 0.0 again: the server detects reuse and revokes the sign-in.
	// dispose() hit the same until 905e735 (it no longer aborts the refresh): kept as a guard.
	it.each([
		['signs out', async (session: AuthSession) => session.signOut()],
		['signs in as another user', async (session: AuthSession, server: AuthServer) => session.signIn(server.signIn('bob'))],
	])('a holder that %s while its refresh commit is being written: no other holder spends the spent refresh token', async (_change, change) => {
		const {server, control, a, b} = await twoHolders();
		server.revoke(0);
		control.hold = true;
		const first = a.fetch(`${api}/a`).then(response => response.status, (error: unknown) => error);
		await settleMicrotasks(() => control.held === 1);
		// A spent rt 0.0 (the server issued 0.1); the compare-and-set of 0.1 has not landed yet. A's epoch changes:
		// the runner releases the lock at once, B (401 on 0.0) takes it, reads 0.0 and spends rt 0.0 again.
		const changing = change(a.session, server);
		const second = b.fetch(`${api}/b`).then(response => response.status, (error: unknown) => error);
		await turn();
		control.hold = false;
		control.land();
		await Promise.all([changing, first, second]);
		expect(server.reuses.map(show)).toEqual([]);
	});

	it('a holder disposed while its refresh commit is being written: the other holder keeps the sign-in', async () => {
		const {server, control, a, b} = await twoHolders();
		server.revoke(0);
		control.hold = true;
		const first = a.fetch(`${api}/a`).catch((error: unknown) => error);
		await settleMicrotasks(() => control.held === 1);
		a.session.dispose();
		const second = b.fetch(`${api}/b`);
		await turn();
		control.hold = false;
		control.land();
		await first;
		const response = await second;
		expect(server.reuses.map(show)).toEqual([]);
		expect(response.status).toBe(200);
		expect((await b.fetch(`${api}/c`)).status).toBe(200);
		expect(b.session.getSnapshot().status).toBe('signedIn');
	});
});
