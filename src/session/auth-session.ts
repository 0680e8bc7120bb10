import {redactError} from '../errors/redact.js';
import {RefreshError} from '../errors/refresh-error.js';
import {newRecordId, versionOf} from '../stores/record.js';
import type {CredentialGrant, SessionCredentials, TokenGrant} from '../types/credentials.js';
import type {AuthSession, AuthSessionEventMap, AuthSessionListener, AuthSnapshot} from '../types/session.js';
import type {TokenRecord} from '../types/store.js';
import type {RefreshReason, TokenSet} from '../types/tokens.js';
import {bounded} from '../utils/bounded.js';
import {AutoRefresh} from './auto-refresh.js';
import {renewalDueAt} from './expiry.js';
import {ENDED, NONE} from './grants.js';
import {holdTokens} from './held-tokens.js';
import {followStore} from './follow-store.js';
import {planRefresh, type RefreshHost} from './refresh-commit.js';
import {RefreshCoordinator} from './refresh-coordinator.js';
import {runRefresh} from './refresh-runner.js';
import {createRefreshScope} from './refresh-scope.js';
import {SessionEvents} from './session-events.js';
import type {SessionSettings} from './settings.js';
import {SnapshotHolder} from './snapshot.js';
import {TokenStoreAccess} from './store-access.js';
import {tokenSetProblem} from './token-set.js';
import {TokenState} from './token-state.js';
import {noop} from '../utils/timers.js';


/**
 * The token lifecycle of one holder of a sign-in: holds the current {@link TokenRecord}, decides when it must
 * be refreshed, and refreshes it (check → lock → read the store again → refresh → compare-and-set) through
 * its {@link RefreshCoordinator}. A change of sign-in (here or in another holder) starts a new epoch: refreshes
 * in flight are abandoned and nothing is retried across it. All in-flight state belongs to the instance.
 */
export class Session implements AuthSession {
	readonly #events = new SessionEvents();
	readonly #settings: SessionSettings;
	readonly #store: TokenStoreAccess;
	readonly #snapshot = new SnapshotHolder();
	readonly #scope = createRefreshScope();
	readonly #refreshes: RefreshCoordinator;
	readonly #tokens = new TokenState();
	#lifetime = new AbortController();
	readonly #autoRefresh: AutoRefresh | undefined;
	#disposed = false;
	/** A claims challenge waiting for the refresh it asked for (taken by the next refresh that starts). */
	#claims: string | undefined;

	/** The session's side of the in-lock refresh steps (refresh-commit.ts). */
	readonly #host: RefreshHost;

	readonly credentials: SessionCredentials = {
		acquire: signal => this.#acquire(signal),
		rejected: async (grant, signal, challenge) => this.#onRejected(grant, signal, challenge?.claims),
		insideRefresh: () => this.#scope.active(),
	};

	constructor(settings: SessionSettings) {
		this.#settings = settings;
		this.#refreshes = new RefreshCoordinator(async reason => this.#runRefresh(reason), () => {
			this.#publish();
		}, settings.now);
		this.#store = new TokenStoreAccess(settings.store, settings.refreshTimeout, (record, initial) => {
			this.#onStored(record, initial);
		});
		this.#host = {
			tokens: this.#tokens,
			store: this.#store,
			events: this.#events,
			now: () => settings.now(),
			publish: () => {
				this.#publish();
			},
			restart: () => {
				this.#restart();
			},
		};
		this.#autoRefresh = settings.autoRefresh && settings.refresh ? new AutoRefresh({
			now: () => settings.now(),
			dueAt: () => {
				const held = this.#tokens.held;
				return held && !this.#disposed ? renewalDueAt(held, settings.refreshWindow) : null;
			},
			expiresAt: () => this.#tokens.held?.expiresAt ?? null,
			renew: async () => {
				const now = settings.now();
				// A machine session's backoff (and a token endpoint's Retry-After) holds for renewals too.
				const blocking = settings.machine?.blocking(now);
				if (blocking) {
					throw blocking;
				}
				return this.#refreshes.start(this.#tokens.unusable(now) ?? 'expiring');
			},
		}) : undefined;
		this.#store.load()?.catch(noop);
	}

	async getAccessToken(options?: {signal?: AbortSignal | undefined}): Promise<string | null> {
		const grant = await this.#acquire(options?.signal);
		return grant.kind === 'token' ? grant.token : null;
	}

	async refresh(): Promise<TokenSet | null> {
		if (!this.#settings.refresh) {
			throw new RefreshError('REFRESH_UNAVAILABLE');
		}
		await this.#store.load();
		const grant = await this.#refreshes.start('manual');
		return grant.kind === 'token' ? this.#tokens.held?.set ?? null : null;
	}

	async signIn(tokens: TokenSet): Promise<void> {
		const problem = tokenSetProblem(tokens);
		if (problem !== undefined) {
			throw new TypeError(`signIn: expected a TokenSet, got ${problem}`);
		}
		const held = holdTokens(tokens, this.#settings.now());
		const record: TokenRecord = {id: newRecordId(), generation: 0, tokens: held.set};
		const replacing = versionOf(this.#tokens.holding?.record ?? null);
		this.#restart();
		this.#tokens.hold({record, held});
		this.#publish();
		try {
			await this.#store.write(record, replacing);
		} finally {
			// The session holds the new sign-in either way (a failed write is written again later).
			this.#events.emit('signedin', {expiresAt: held.expiresAt});
		}
	}

	async signOut(): Promise<void> {
		this.#restart();
		const replacing = versionOf(this.#tokens.holding?.record ?? null);
		const wasSignedIn = replacing !== null;
		this.#tokens.hold(null);
		this.#publish();
		try {
			await this.#store.write(null, replacing);
		} finally {
			if (wasSignedIn) {
				this.#events.signedOut();
			}
		}
	}

	dispose(): void {
		if (this.#disposed) {
			return;
		}
		this.#disposed = true;
		this.#autoRefresh?.stop();
		this.#store.dispose();
		this.#restart();
		this.#publish();
	}

	addEventListener<K extends keyof AuthSessionEventMap>(type: K, listener: AuthSessionListener<K>, options?: AddEventListenerOptions | boolean): void {
		this.#events.add(type, listener, options);
	}

	removeEventListener<K extends keyof AuthSessionEventMap>(type: K, listener: AuthSessionListener<K>, options?: EventListenerOptions | boolean): void {
		this.#events.remove(type, listener, options);
	}

	/** Bound, so it can be passed as is: `useSyncExternalStore(session.subscribe, session.getSnapshot)`. */
	readonly getSnapshot = (): AuthSnapshot => this.#snapshot.current;

	/** Bound, like {@link getSnapshot}. */
	readonly subscribe = (listener: () => void): (() => void) => this.#snapshot.subscribe(listener);

	/** A new epoch: forgets any refresh in flight (its waiters end at once; a refresh token already being spent is still committed) before the sign-in changes. */
	#restart(): void {
		this.#tokens.newEpoch();
		this.#lifetime.abort(new Error('The session signed in or out'));
		this.#lifetime = new AbortController();
		this.#refreshes.reset();
		this.#store.markLoaded();
	}

	/** Synchronous when the store is loaded and the token is usable: no promise on the hot path. */
	#acquire(signal?: AbortSignal): CredentialGrant | Promise<CredentialGrant> {
		const loading = this.#store.load();
		if (loading) {
			return bounded(loading, {signal}).then(() => this.#acquireLoaded(signal));
		}
		return this.#acquireLoaded(signal);
	}

	#acquireLoaded(signal?: AbortSignal): CredentialGrant | Promise<CredentialGrant> {
		signal?.throwIfAborted();
		const tokens = this.#tokens;
		if (this.#disposed) {
			return ENDED;
		}
		const now = this.#settings.now();
		if (!tokens.held) {
			return this.#settings.machine ? this.#obtain('initial', now, signal) : NONE;
		}
		const unusable = tokens.unusable(now);
		if (unusable) {
			if (!this.#settings.refresh) {
				return ENDED;
			}
			return this.#settings.machine ? this.#obtain(unusable, now, signal) : this.#refreshes.wait(unusable, signal);
		}
		if (this.#settings.refresh && tokens.expiring(now, this.#settings.refreshWindow) && !this.#settings.machine?.blocking(now)) {
			this.#refreshes.background();
		}
		return tokens.grant;
	}

	/**
	 * A machine session's token: fails fast with the last error while backing off, else waits for the refresh;
	 * a refresh forgotten by a change of record (another replica's token, a cleared store) is followed by the next one.
	 */
	async #obtain(reason: RefreshReason, now: number, signal?: AbortSignal): Promise<CredentialGrant> {
		const blocking = this.#settings.machine?.blocking(now);
		if (blocking) {
			throw blocking;
		}
		const grant = await this.#refreshes.wait(reason, signal);
		return grant.kind === 'ended' && !this.#disposed ? this.#acquire(signal) : grant;
	}

	async #onRejected(grant: TokenGrant, signal?: AbortSignal, claims?: string): Promise<CredentialGrant> {
		const {epoch} = grant;
		if (this.#disposed) {
			return ENDED;
		}
		if (epoch !== this.#tokens.epoch) {
			// A machine session has one identity: its next token is as good as the rejected one's successor.
			return this.#settings.machine ? this.#acquire(signal) : ENDED;
		}
		if (!this.#settings.refresh && this.#tokens.held?.set.accessToken === grant.token) {
			return NONE;
		}
		if (claims !== undefined && this.#tokens.held?.set.accessToken === grant.token) {
			this.#claims = claims;
		}
		this.#tokens.reject(grant.token);
		const next = await this.#acquire(signal);
		return next.kind === 'token' && next.epoch !== epoch && !this.#settings.machine ? ENDED : next;
	}

	/** One refresh, run by the coordinator: errors become a `RefreshError` and a `refresherror` event. */
	async #runRefresh(reason: RefreshReason): Promise<CredentialGrant> {
		const {epoch} = this.#tokens;
		const trigger = this.#tokens.holding;
		const {refresh} = this.#settings;
		const claims = this.#claims;
		this.#claims = undefined;
		try {
			if (!refresh) {
				throw new RefreshError('REFRESH_UNAVAILABLE');
			}
			const grant = await runRefresh({
				refresh,
				reason,
				claims,
				timeout: this.#settings.refreshTimeout,
				store: this.#settings.store,
				scope: this.#scope,
				signal: this.#lifetime.signal,
				plan: async () => planRefresh(this.#host, reason, epoch, trigger),
			});
			this.#settings.machine?.succeeded();
			return grant;
		} catch (error) {
			if (epoch !== this.#tokens.epoch) {
				return ENDED;
			}
			const failure = error instanceof RefreshError ? error : new RefreshError('REFRESH_FAILED', {cause: redactError(error, [trigger?.held.set.accessToken, trigger?.held.set.refreshToken])});
			this.#settings.machine?.failed(failure, this.#settings.now());
			this.#tokens.error = failure;
			this.#events.emit('refresherror', failure);
			throw failure;
		}
	}

	/** The store reported a change from elsewhere, or was read for the first time. */
	#onStored(record: TokenRecord | null, initial: boolean): void {
		if (initial) {
			this.#tokens.hold(record && {record, held: holdTokens(record.tokens, this.#settings.now())});
			this.#publish();
		} else if (!this.#disposed) {
			followStore(this.#host, record);
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
		this.#autoRefresh?.schedule();
	}
}
