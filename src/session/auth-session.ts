import {dev, seeDocs} from '../utils/dev.js';
import {RefreshError} from '../errors/refresh-error.js';
import {newRecordId, versionOf} from '../record/record.js';
import type {CredentialGrant} from '../types/credentials.js';
import type {AuthSession, AuthSessionEventMap, AuthSessionListener, AuthSnapshot} from '../types/session.js';
import type {TokenRecord} from '../types/store.js';
import type {RefreshReason, TokenSet} from '../types/tokens.js';
import type {RenewalTimer} from '../types/auto-refresh.js';
import {sessionRenewal} from './refresh/renewal.js';
import {CredentialsGate, type GateDeps} from './credentials-gate.js';
import {holdTokens} from './tokens/held-tokens.js';
import {followStore} from './store/follow-store.js';
import {RefreshSingleFlight} from './refresh/single-flight.js';
import {refreshSession} from './refresh/session-refresh.js';
import {createRefreshScope} from './refresh/refresh-scope.js';
import type {SessionCore} from './session-core.js';
import {SessionEvents} from './session-events.js';
import type {SessionSettings} from './settings.js';
import {SnapshotHolder} from './snapshot.js';
import {TokenStoreAccess} from './store/store-access.js';
import {tokenSetProblem} from '../record/token-set.js';
import {TokenState} from './tokens/token-state.js';
import {noop} from '../utils/timers.js';
import {Lifetime} from '../utils/lifetime.js';


/**
 * The token lifecycle of one holder of a sign-in: holds the current {@link TokenRecord}, decides when it must
 * be refreshed, and refreshes it (check → lock → read the store again → refresh → compare-and-set) through
 * its {@link RefreshSingleFlight}. A change of sign-in (here or in another holder) starts a new epoch: refreshes
 * in flight are abandoned and nothing is retried across it. All in-flight state belongs to the instance.
 */
export class Session implements AuthSession {
	readonly #events = new SessionEvents();
	readonly #settings: SessionSettings;
	readonly #store: TokenStoreAccess;
	readonly #snapshot = new SnapshotHolder();
	readonly #scope = createRefreshScope();
	readonly #refreshes: RefreshSingleFlight;
	readonly #tokens = new TokenState();
	/** The epoch's lifetime: no AbortController is made until a refresh asks for a signal (see Lifetime). */
	#lifetime = new Lifetime();
	readonly #autoRefresh: RenewalTimer | undefined;
	#disposed = false;

	/** What the gate, a refresh and following the store use of the session (session-core.ts). */
	readonly #core: SessionCore;

	readonly credentials: CredentialsGate;

	/**
	 * @param Gate - The credentials gate: a user session's, or a machine session's (machine-gate.ts, given by
	 * `createMachineSession` only, so a bundle without it carries none of it).
	 */
	constructor(settings: SessionSettings, Gate: new (deps: GateDeps) => CredentialsGate = CredentialsGate) {
		this.#settings = settings;
		this.#refreshes = new RefreshSingleFlight(async reason => this.#runLockedRefresh(reason), () => {
			this.#publish();
		}, settings.now);
		this.#store = new TokenStoreAccess(settings.store, settings.refreshTimeout, (record, initial) => {
			this.#onStored(record, initial);
		});
		this.#core = {
			tokens: this.#tokens,
			settings,
			store: this.#store,
			events: this.#events,
			refreshes: this.#refreshes,
			scope: this.#scope,
			now: () => settings.now(),
			publish: () => {
				this.#publish();
			},
			restart: () => {
				this.#restart();
			},
			lifetime: () => this.#lifetime.signal(),
			disposed: () => this.#disposed,
		};
		this.credentials = new Gate(this.#core);
		this.#autoRefresh = sessionRenewal(settings, this.#tokens, async reason => this.#refreshes.start(reason), () => this.#disposed);
		this.#store.load()?.catch(noop);
	}

	async getAccessToken(options?: {signal?: AbortSignal | undefined}): Promise<string | null> {
		const grant = await this.credentials.acquire(options?.signal);
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
			throw new TypeError(dev ? `signIn: expected a TokenSet, got ${problem}` : `signIn: ${seeDocs('TypeError')}`);
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
		const forgotten = this.#tokens.holding?.record ?? null;
		const replacing = versionOf(forgotten);
		this.#tokens.hold(null);
		this.#publish();
		try {
			await this.#store.write(null, replacing);
		} finally {
			if (forgotten !== null) {
				this.#events.signedOut();
				this.#afterSignOut(forgotten.tokens);
			}
		}
	}

	/** Hands the forgotten tokens to `onSignOut` (revocation), neither awaited nor able to throw here. */
	#afterSignOut(tokens: TokenSet): void {
		const {onSignOut} = this.#settings;
		if (onSignOut === undefined) {
			return;
		}
		try {
			Promise.resolve(onSignOut(tokens)).catch(noop);
		} catch {
			// Best effort: the sign-out is done whatever onSignOut does.
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
		this.#lifetime.end(new Error(dev ? 'The session signed in or out' : ''));
		this.#lifetime = new Lifetime();
		this.#refreshes.reset();
		this.#store.markLoaded();
	}

	/** One refresh, run by the coordinator (session-refresh.ts); it takes a claims challenge waiting for it. */
	async #runLockedRefresh(reason: RefreshReason): Promise<CredentialGrant> {
		return refreshSession(this.#core, reason, this.credentials.takeClaims());
	}

	/** The store reported a change from elsewhere, or was read for the first time. */
	#onStored(record: TokenRecord | null, initial: boolean): void {
		if (initial) {
			this.#tokens.hold(record && {record, held: holdTokens(record.tokens, this.#settings.now())});
			this.#publish();
		} else if (!this.#disposed) {
			followStore(this.#core, record);
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
