import {RefreshError} from '../errors/refresh-error.js';
import type {AuthSession, AuthSnapshot} from '../types/session.js';
import type {TokenStore} from '../types/store.js';
import type {RefreshFunction, RefreshReason, TokenSet} from '../types/tokens.js';
import {isExpired, isExpiring} from './expiry.js';
import {freshOnly, holdTokens, sameTokens, type HeldTokens} from './held-tokens.js';
import {ENDED, internalsKey, NONE, type Acquired, type SessionInternals} from './internals.js';
import {RefreshCoordinator} from './refresh-coordinator.js';
import {runRefresh, type RefreshOutcome} from './refresh-runner.js';
import {createRefreshScope} from './refresh-scope.js';
import {SnapshotHolder} from './snapshot.js';
import {TokenStoreAccess} from './store-access.js';
import {bounded} from '../utils/bounded.js';
import {isTokenSet, tokenSetProblem} from './token-set.js';

/** Validated settings of a session. */
export interface SessionSettings {
	store: TokenStore;
	refresh: RefreshFunction | undefined;
	refreshWindow: number;
	refreshTimeout: number;
	now: () => number;
}

const noop = (): void => undefined;

/**
 * The token lifecycle of one user: holds the tokens, decides when they must be refreshed, and
 * refreshes them (check → lock → check again → refresh) through its {@link RefreshCoordinator}.
 * All in-flight state belongs to the instance.
 */
export class Session extends EventTarget implements AuthSession {
	readonly #settings: SessionSettings;
	readonly #store: TokenStoreAccess;
	readonly #snapshot = new SnapshotHolder();
	readonly #scope = createRefreshScope();
	readonly #refreshes: RefreshCoordinator;
	#held: HeldTokens | null = null;
	#rejected: string | null = null;
	#error: Error | null = null;
	#epoch = 0;
	#lifetime = new AbortController();

	readonly [internalsKey]: SessionInternals = {
		acquire: signal => this.#acquire(signal),
		rejected: async (token, signal) => this.#onRejected(token, signal),
		insideRefresh: () => this.#scope.active(),
	};

	constructor(settings: SessionSettings) {
		super();
		this.#settings = settings;
		this.#refreshes = new RefreshCoordinator(async reason => this.#runRefresh(reason, this.#epoch), () => {
			this.#publish();
		}, settings.now);
		this.#store = new TokenStoreAccess(settings.store, settings.refreshTimeout, value => {
			this.#adoptStored(value);
		});
		this.#store.load()?.catch(noop);
	}

	async getAccessToken(options?: {signal?: AbortSignal}): Promise<string | null> {
		const acquired = await this.#acquire(options?.signal);
		return acquired.kind === 'token' ? acquired.token : null;
	}

	async refresh(): Promise<TokenSet | null> {
		if (!this.#settings.refresh) {
			throw new RefreshError('REFRESH_UNAVAILABLE');
		}
		await this.#store.load();
		const acquired = await this.#refreshes.start('manual');
		return acquired.kind === 'token' ? this.#held?.set ?? null : null;
	}

	async signIn(tokens: TokenSet): Promise<void> {
		const problem = tokenSetProblem(tokens);
		if (problem !== undefined) {
			throw new TypeError(`signIn: expected a TokenSet, got a value that is ${problem}`);
		}
		const held = holdTokens(tokens, this.#settings.now());
		this.#restart();
		this.#held = held;
		this.#publish();
		await this.#store.write(held.set);
		this.dispatchEvent(new CustomEvent('signedin', {detail: {expiresAt: held.expiresAt}}));
	}

	async signOut(): Promise<void> {
		const wasSignedIn = this.#held !== null;
		this.#restart();
		this.#held = null;
		this.#publish();
		if (wasSignedIn) {
			this.dispatchEvent(new Event('signedout'));
		}
		await this.#store.write(null);
	}

	/** Bound, so it can be passed as is: `useSyncExternalStore(session.subscribe, session.getSnapshot)`. */
	readonly getSnapshot = (): AuthSnapshot => this.#snapshot.current;

	/** Bound, like {@link getSnapshot}. */
	readonly subscribe = (listener: () => void): (() => void) => this.#snapshot.subscribe(listener);

	/** Abandons any refresh in flight and clears per-token state: a new epoch of the session. */
	#restart(): void {
		this.#epoch++;
		this.#lifetime.abort(new Error('The session signed in or out'));
		this.#lifetime = new AbortController();
		this.#refreshes.reset();
		this.#rejected = null;
		this.#error = null;
		this.#store.markLoaded();
	}

	/** Synchronous when the store is loaded and the token is usable: no promise on the hot path. */
	#acquire(signal?: AbortSignal): Acquired | Promise<Acquired> {
		const loading = this.#store.load();
		if (loading) {
			return bounded(loading, {signal}).then(() => this.#acquireLoaded(signal));
		}
		return this.#acquireLoaded(signal);
	}

	#acquireLoaded(signal?: AbortSignal): Acquired | Promise<Acquired> {
		signal?.throwIfAborted();
		const held = this.#held;
		if (!held) {
			return NONE;
		}
		const now = this.#settings.now();
		const rejected = held.set.accessToken === this.#rejected;
		if (rejected || isExpired(held, now)) {
			return this.#settings.refresh ? this.#refreshes.wait(rejected ? 'unauthorized' : 'expired', signal) : ENDED;
		}
		if (this.#settings.refresh && isExpiring(held, now, this.#settings.refreshWindow)) {
			this.#refreshes.background();
		}
		return {kind: 'token', token: held.set.accessToken, tokenType: held.set.tokenType};
	}

	async #onRejected(token: string, signal?: AbortSignal): Promise<Acquired> {
		const held = this.#held;
		if (!held) {
			return ENDED;
		}
		if (held.set.accessToken === token) {
			if (!this.#settings.refresh) {
				return NONE;
			}
			this.#rejected = token;
		}
		return this.#acquire(signal);
	}

	/** One refresh, run by the coordinator: errors become a `RefreshError` and a `refresherror` event. */
	async #runRefresh(reason: RefreshReason, epoch: number): Promise<Acquired> {
		const startedAt = this.#settings.now();
		const previous = this.#held?.set ?? null;
		try {
			return await runRefresh({
				refresh: this.#settings.refresh!,
				tokens: previous,
				reason,
				timeout: this.#settings.refreshTimeout,
				store: this.#settings.store,
				scope: this.#scope,
				signal: this.#lifetime.signal,
				recheck: async () => (reason === 'manual' ? undefined : this.#storedReplacement()),
				settle: async outcome => this.#settle(outcome, reason, epoch, outcome.kind === 'adopted' ? this.#settings.now() : startedAt),
			});
		} catch (error) {
			if (epoch !== this.#epoch) {
				return this.#current();
			}
			const failure = error instanceof RefreshError ? error : new RefreshError('REFRESH_FAILED', {cause: error});
			this.#error = failure;
			this.dispatchEvent(new CustomEvent('refresherror', {detail: failure}));
			throw failure;
		}
	}

	/** Applies a refresh outcome; runs inside the store lock. */
	async #settle(outcome: RefreshOutcome, reason: RefreshReason, epoch: number, receivedAt: number): Promise<Acquired> {
		if (epoch !== this.#epoch) {
			return this.#current();
		}
		if (outcome.tokens === null) {
			await this.#endSession();
			return ENDED;
		}
		const held = freshOnly(holdTokens(outcome.tokens, receivedAt, this.#held?.set));
		this.#held = held;
		this.#rejected = null;
		this.#error = null;
		this.#publish();
		if (outcome.kind === 'refreshed') {
			await this.#persist(held.set);
		}
		this.dispatchEvent(new CustomEvent('refresh', {detail: {reason, expiresAt: held.expiresAt}}));
		return this.#current();
	}

	/** What a request should use now that a refresh settled. */
	#current(): Acquired {
		const held = this.#held;
		return held ? {kind: 'token', token: held.set.accessToken, tokenType: held.set.tokenType} : ENDED;
	}

	/** The refresh returned `null`: the session is over. */
	async #endSession(): Promise<void> {
		const wasSignedIn = this.#held !== null;
		this.#held = null;
		this.#rejected = null;
		this.#publish();
		if (wasSignedIn) {
			this.dispatchEvent(new Event('signedout'));
		}
		await this.#persist(null);
	}

	/** Writes the store after a refresh; a failure is reported as a `storeerror` event, the tokens in memory stay. */
	async #persist(tokens: TokenSet | null): Promise<void> {
		await this.#store.write(tokens).catch((error: unknown) => {
			this.dispatchEvent(new CustomEvent('storeerror', {detail: error}));
		});
	}

	/** Inside the lock: tokens that another tab or session stored meanwhile and that are still usable. */
	async #storedReplacement(): Promise<TokenSet | undefined> {
		const stored = await this.#store.read().catch(() => undefined);
		if (!isTokenSet(stored) || stored.accessToken === this.#held?.set.accessToken || stored.accessToken === this.#rejected) {
			return undefined;
		}
		return isExpired(holdTokens(stored, this.#settings.now()), this.#settings.now()) ? undefined : stored;
	}

	/** Tokens changed in the store from elsewhere (or were read for the first time). */
	#adoptStored(value: TokenSet | null): void {
		if (sameTokens(value ?? undefined, this.#held?.set)) {
			this.#publish();
			return;
		}
		const wasSignedIn = this.#held !== null;
		this.#held = value ? holdTokens(value, this.#settings.now()) : null;
		this.#rejected = null;
		this.#publish();
		if (wasSignedIn && !value) {
			this.dispatchEvent(new Event('signedout'));
		}
	}

	#publish(): void {
		const held = this.#held;
		this.#snapshot.update({
			status: this.#refreshes.running ? 'refreshing' : (held ? 'signedIn' : 'signedOut'),
			expiresAt: held?.expiresAt ?? null,
			ready: this.#store.loaded,
			error: this.#error,
		});
	}
}
