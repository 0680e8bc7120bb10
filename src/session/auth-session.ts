import {RefreshError} from '../errors/refresh-error.js';
import type {AuthSession, AuthSnapshot} from '../types/session.js';
import type {RefreshReason, TokenSet} from '../types/tokens.js';
import {holdTokens} from './held-tokens.js';
import {ENDED, internalsKey, NONE, type Acquired, type SessionInternals} from './internals.js';
import {RefreshCoordinator} from './refresh-coordinator.js';
import type {SessionSettings} from './settings.js';
import {runRefresh, type RefreshOutcome} from './refresh-runner.js';
import {createRefreshScope} from './refresh-scope.js';
import {SnapshotHolder} from './snapshot.js';
import {TokenStoreAccess} from './store-access.js';
import {bounded} from '../utils/bounded.js';
import {tokenSetProblem} from './token-set.js';
import {TokenState} from './token-state.js';

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
	readonly #tokens = new TokenState();
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
		return acquired.kind === 'token' ? this.#tokens.held?.set ?? null : null;
	}

	async signIn(tokens: TokenSet): Promise<void> {
		const problem = tokenSetProblem(tokens);
		if (problem !== undefined) {
			throw new TypeError(`signIn: expected a TokenSet, got a value that is ${problem}`);
		}
		const held = holdTokens(tokens, this.#settings.now());
		this.#restart();
		this.#tokens.hold(held);
		this.#publish();
		await this.#store.write(held.set);
		this.dispatchEvent(new CustomEvent('signedin', {detail: {expiresAt: held.expiresAt}}));
	}

	async signOut(): Promise<void> {
		this.#restart();
		this.#dropTokens();
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
		this.#tokens.forgetFailures();
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
		const tokens = this.#tokens;
		if (!tokens.held) {
			return NONE;
		}
		const now = this.#settings.now();
		const unusable = tokens.unusable(now);
		if (unusable) {
			return this.#settings.refresh ? this.#refreshes.wait(unusable, signal) : ENDED;
		}
		if (this.#settings.refresh && tokens.expiring(now, this.#settings.refreshWindow)) {
			this.#refreshes.background();
		}
		return tokens.grant;
	}

	async #onRejected(token: string, signal?: AbortSignal): Promise<Acquired> {
		const held = this.#tokens.held;
		if (!held) {
			return ENDED;
		}
		if (held.set.accessToken === token && !this.#settings.refresh) {
			return NONE;
		}
		this.#tokens.reject(token);
		return this.#acquire(signal);
	}

	/** One refresh, run by the coordinator: errors become a `RefreshError` and a `refresherror` event. */
	async #runRefresh(reason: RefreshReason, epoch: number): Promise<Acquired> {
		const startedAt = this.#settings.now();
		const previous = this.#tokens.held?.set ?? null;
		try {
			return await runRefresh({
				refresh: this.#settings.refresh!,
				tokens: previous,
				reason,
				timeout: this.#settings.refreshTimeout,
				store: this.#settings.store,
				scope: this.#scope,
				signal: this.#lifetime.signal,
				// Inside the lock: tokens another tab or session stored meanwhile, if still usable.
				recheck: async () => (reason === 'manual' ? undefined : this.#tokens.replacement(await this.#store.read().catch(noop), this.#settings.now())),
				settle: async outcome => this.#settle(outcome, reason, epoch, outcome.kind === 'adopted' ? this.#settings.now() : startedAt),
			});
		} catch (error) {
			if (epoch !== this.#epoch) {
				return this.#tokens.grant;
			}
			const failure = error instanceof RefreshError ? error : new RefreshError('REFRESH_FAILED', {cause: error});
			this.#tokens.error = failure;
			this.dispatchEvent(new CustomEvent('refresherror', {detail: failure}));
			throw failure;
		}
	}

	/** Applies a refresh outcome; runs inside the store lock. */
	async #settle(outcome: RefreshOutcome, reason: RefreshReason, epoch: number, receivedAt: number): Promise<Acquired> {
		if (epoch !== this.#epoch) {
			return this.#tokens.grant;
		}
		if (outcome.tokens === null) {
			await this.#endSession();
			return ENDED;
		}
		const held = this.#tokens.accept(outcome.tokens, receivedAt);
		this.#publish();
		if (outcome.kind === 'refreshed') {
			await this.#persist(held.set);
		}
		this.dispatchEvent(new CustomEvent('refresh', {detail: {reason, expiresAt: held.expiresAt}}));
		return this.#tokens.grant;
	}

	/** The refresh returned `null`: the session is over. */
	async #endSession(): Promise<void> {
		this.#dropTokens();
		await this.#persist(null);
	}

	/** Holds nothing any more; `signedout` fires once, only when something was held. */
	#dropTokens(): void {
		const wasSignedIn = this.#tokens.held !== null;
		this.#tokens.hold(null);
		this.#publish();
		if (wasSignedIn) {
			this.dispatchEvent(new Event('signedout'));
		}
	}

	/** Writes the store after a refresh; a failure is reported as a `storeerror` event, the tokens in memory stay. */
	async #persist(tokens: TokenSet | null): Promise<void> {
		await this.#store.write(tokens).catch((error: unknown) => {
			this.dispatchEvent(new CustomEvent('storeerror', {detail: error}));
		});
	}

	/** Tokens changed in the store from elsewhere (or were read for the first time). */
	#adoptStored(value: TokenSet | null): void {
		const wasSignedIn = this.#tokens.held !== null;
		const changed = this.#tokens.adopt(value, this.#settings.now());
		this.#publish();
		if (changed && wasSignedIn && !value) {
			this.dispatchEvent(new Event('signedout'));
		}
	}

	#publish(): void {
		const held = this.#tokens.held;
		this.#snapshot.update({
			status: this.#refreshes.running ? 'refreshing' : (held ? 'signedIn' : 'signedOut'),
			expiresAt: held?.expiresAt ?? null,
			ready: this.#store.loaded,
			error: this.#tokens.error,
		});
	}
}
