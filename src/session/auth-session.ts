import {RefreshError} from '../errors/refresh-error.js';
import {StoreError} from '../errors/store-error.js';
import type {CredentialGrant, SessionCredentials, TokenGrant} from '../types/credentials.js';
import type {AuthSession, AuthSessionEventMap, AuthSessionListener, AuthSnapshot} from '../types/session.js';
import type {TokenRecord, TokenRecordVersion} from '../types/store.js';
import type {RefreshReason, TokenSet} from '../types/tokens.js';
import {bounded} from '../utils/bounded.js';
import {ENDED, NONE} from './grants.js';
import {freshOnly, holdTokens} from './held-tokens.js';
import {newRecordId, versionOf} from '../stores/record.js';
import {reconcile} from './reconcile.js';
import {RefreshCoordinator} from './refresh-coordinator.js';
import {runRefresh, type RefreshPlan} from './refresh-runner.js';
import {createRefreshScope} from './refresh-scope.js';
import type {SessionSettings} from './settings.js';
import {SnapshotHolder} from './snapshot.js';
import {TokenStoreAccess} from './store-access.js';
import {tokenSetProblem} from './token-set.js';
import {TokenState, type Holding} from './token-state.js';

const noop = (): void => undefined;

/**
 * The token lifecycle of one holder of a sign-in: holds the current {@link TokenRecord}, decides when it must
 * be refreshed, and refreshes it (check → lock → read the store again → refresh → compare-and-set) through
 * its {@link RefreshCoordinator}. A change of sign-in (here or in another holder) starts a new epoch: refreshes
 * in flight are abandoned and nothing is retried across it. All in-flight state belongs to the instance.
 */
export class Session implements AuthSession {
	readonly #events = new EventTarget();
	readonly #settings: SessionSettings;
	readonly #store: TokenStoreAccess;
	readonly #snapshot = new SnapshotHolder();
	readonly #scope = createRefreshScope();
	readonly #refreshes: RefreshCoordinator;
	readonly #tokens = new TokenState();
	#lifetime = new AbortController();
	/** This holder's last store write failed: the store still holds what that write replaced. */
	#storeBehind = false;
	#disposed = false;

	readonly credentials: SessionCredentials = {
		acquire: signal => this.#acquire(signal),
		rejected: async (grant, signal) => this.#onRejected(grant, signal),
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
		this.#restart();
		this.#tokens.hold({record, held});
		this.#publish();
		await this.#write(record);
		this.#emit('signedin', {expiresAt: held.expiresAt});
	}

	async signOut(): Promise<void> {
		this.#restart();
		const wasSignedIn = this.#tokens.holding !== null;
		this.#tokens.hold(null);
		this.#publish();
		try {
			await this.#write(null);
		} finally {
			if (wasSignedIn) {
				this.#signedOut();
			}
		}
	}

	dispose(): void {
		if (this.#disposed) {
			return;
		}
		this.#disposed = true;
		this.#store.dispose();
		this.#restart();
	}

	addEventListener<K extends keyof AuthSessionEventMap>(type: K, listener: AuthSessionListener<K>, options?: AddEventListenerOptions | boolean): void {
		// The session dispatches only the events of AuthSessionEventMap, each under its own name.
		this.#events.addEventListener(type, listener as EventListener, options);
	}

	removeEventListener<K extends keyof AuthSessionEventMap>(type: K, listener: AuthSessionListener<K>, options?: EventListenerOptions | boolean): void {
		this.#events.removeEventListener(type, listener as EventListener, options);
	}

	/** Bound, so it can be passed as is: `useSyncExternalStore(session.subscribe, session.getSnapshot)`. */
	readonly getSnapshot = (): AuthSnapshot => this.#snapshot.current;

	/** Bound, like {@link getSnapshot}. */
	readonly subscribe = (listener: () => void): (() => void) => this.#snapshot.subscribe(listener);

	/** A new epoch: abandons any refresh in flight (its waiters end) before the sign-in changes. */
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

	async #onRejected(grant: TokenGrant, signal?: AbortSignal): Promise<CredentialGrant> {
		const {epoch} = grant;
		if (epoch !== this.#tokens.epoch || this.#disposed) {
			return ENDED;
		}
		if (!this.#settings.refresh && this.#tokens.held?.set.accessToken === grant.token) {
			return NONE;
		}
		this.#tokens.reject(grant.token);
		const next = await this.#acquire(signal);
		return next.kind === 'token' && next.epoch !== epoch ? ENDED : next;
	}

	/** One refresh, run by the coordinator: errors become a `RefreshError` and a `refresherror` event. */
	async #runRefresh(reason: RefreshReason): Promise<CredentialGrant> {
		const {epoch} = this.#tokens;
		const trigger = this.#tokens.holding;
		try {
			return await runRefresh({
				refresh: this.#settings.refresh!,
				reason,
				timeout: this.#settings.refreshTimeout,
				store: this.#settings.store,
				scope: this.#scope,
				signal: this.#lifetime.signal,
				plan: async () => this.#plan(reason, epoch, trigger),
			});
		} catch (error) {
			if (epoch !== this.#tokens.epoch) {
				return ENDED;
			}
			const failure = error instanceof RefreshError ? error : new RefreshError('REFRESH_FAILED', {cause: error});
			this.#tokens.error = failure;
			this.#emit('refresherror', failure);
			throw failure;
		}
	}

	/**
	 * Inside the store's lock: reads the store again and adopts what another holder stored (a newer generation
	 * of this sign-in, another sign-in, a sign-out), or spends the newest refresh token of this sign-in.
	 */
	async #plan(reason: RefreshReason, epoch: number, trigger: Holding | null): Promise<RefreshPlan<CredentialGrant>> {
		const stored = await this.#store.read().catch(noop);
		if (epoch !== this.#tokens.epoch) {
			return {kind: 'done', value: ENDED};
		}
		if (stored !== undefined && !this.#adopt(stored)) {
			return {kind: 'done', value: ENDED};
		}
		const holding = this.#tokens.holding;
		// A generation newer than the one this refresh was started for is adopted as it is, if usable.
		if (reason !== 'manual' && holding && holding.record !== trigger?.record && !this.#tokens.unusable(this.#settings.now())) {
			this.#emit('refresh', {reason, expiresAt: holding.held.expiresAt});
			return {kind: 'done', value: this.#tokens.grant};
		}
		const expected = stored === undefined ? versionOf(holding?.record ?? null) : versionOf(stored);
		const startedAt = this.#settings.now();
		return {
			kind: 'spend',
			tokens: holding?.held.set ?? null,
			settle: async result => this.#commit(result, {reason, epoch, holding, expected, startedAt}),
		};
	}

	/** Commits a refresh result by compare-and-set; when another holder changed the store meanwhile, adopts that instead. */
	async #commit(result: TokenSet | null, spent: {reason: RefreshReason; epoch: number; holding: Holding | null; expected: TokenRecordVersion; startedAt: number}): Promise<CredentialGrant> {
		const {holding, epoch} = spent;
		// Expiry is anchored at the send; freshness is judged on arrival.
		const held = result && freshOnly(holdTokens(result, spent.startedAt, holding?.held.set), this.#settings.now());
		const record: TokenRecord | null = held && {
			id: holding?.record.id ?? newRecordId(),
			generation: holding ? holding.record.generation + 1 : 0,
			tokens: held.set,
		};
		let committed = true;
		let writeFailed = false;
		try {
			committed = await this.#store.commit(spent.expected, record);
		} catch (error) {
			// The new tokens are the only valid ones now: hold them, and write them again at the next commit.
			writeFailed = true;
			this.#emit('storeerror', error instanceof StoreError ? error : new StoreError('STORE_WRITE_FAILED', error));
		}
		if (epoch !== this.#tokens.epoch) {
			return ENDED;
		}
		if (!committed) {
			const stored = await this.#store.read().catch(noop);
			return stored !== undefined && this.#adopt(stored) ? this.#tokens.grant : ENDED;
		}
		this.#storeBehind = writeFailed;
		if (!record || !held) {
			this.#hold(null);
			this.#storeBehind = writeFailed;
			return ENDED;
		}
		this.#tokens.hold({record, held});
		this.#tokens.error = null;
		this.#publish();
		this.#emit('refresh', {reason: spent.reason, expiresAt: held.expiresAt});
		return this.#tokens.grant;
	}

	/** Takes what the store holds; says whether the sign-in is still the same (false: a new epoch began). */
	#adopt(stored: TokenRecord | null): boolean {
		const outcome = reconcile(this.#tokens.holding?.record ?? null, stored, this.#storeBehind);
		if (outcome.kind === 'keep') {
			return true;
		}
		if (outcome.kind === 'switch') {
			this.#restart();
		}
		this.#hold(outcome.record);
		return outcome.kind === 'newer';
	}

	/** Holds a record (or none) read from the store or committed; events follow the change of sign-in. */
	#hold(record: TokenRecord | null): void {
		const wasSignedIn = this.#tokens.holding !== null;
		const changed = this.#tokens.hold(record && {record, held: holdTokens(record.tokens, this.#settings.now())});
		this.#storeBehind = false;
		this.#publish();
		if (changed && wasSignedIn && !record) {
			this.#signedOut();
		} else if (changed && record) {
			this.#emit('signedin', {expiresAt: this.#tokens.held?.expiresAt ?? null});
		}
	}

	/** The store reported a change from elsewhere, or was read for the first time. */
	#onStored(record: TokenRecord | null, initial: boolean): void {
		if (initial) {
			this.#tokens.hold(record && {record, held: holdTokens(record.tokens, this.#settings.now())});
			this.#publish();
			return;
		}
		if (!this.#disposed) {
			this.#storeBehind = false;
			this.#adopt(record);
		}
	}

	/** Writes the store unconditionally; remembers a failure (the store is then behind this holder). */
	async #write(record: TokenRecord | null): Promise<void> {
		try {
			await this.#store.write(record);
			this.#storeBehind = false;
		} catch (error) {
			this.#storeBehind = true;
			throw error;
		}
	}

	#emit<K extends 'refresh' | 'refresherror' | 'signedin' | 'storeerror'>(type: K, detail: AuthSessionEventMap[K]['detail']): void {
		this.#events.dispatchEvent(new CustomEvent(type, {detail}));
	}

	#signedOut(): void {
		this.#events.dispatchEvent(new Event('signedout'));
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
