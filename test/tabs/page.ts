/**
 * The script of every tab in the multi-page tests (bundled with esbuild, served by the token server).
 * Query parameters: `key` (store key), `store` (`protected`: indexedDbStore as is; `unprotected`: the
 * same IndexedDB record through get/set/subscribe only, without lock and compareAndSet: the switch that
 * turns the protection off; `shared`: sharedMemoryStore; `shared-unguarded`: sharedMemoryStore with its
 * guards off, so copies are not synced when the lock is granted and writes are not acknowledged: the switch
 * that turns its protection off), `locks=off` (hide Web Locks, so the store falls back to its lease lock),
 * `delay` (ms: every message on sharedMemoryStore's channel reaches this page that much later, see
 * {@link delayDelivery}), `lockTimeout`, `answerTimeout`, `refreshWindow`, `refreshTimeout`. The test drives
 * the tab through `window.harness`.
 */
import {createAuthFetch, createAuthSession, indexedDbStore, sharedMemoryStore, type TokenSet, type TokenStore} from '../../src/index.js';
import {createSharedMemoryStore} from '../../src/stores/shared-memory-store.js';
import {lockProbe} from './lock-probe.js';

const params = new URLSearchParams(location.search);
const number = (name: string, fallback: number): number => Number(params.get(name) ?? fallback);
if (params.get('locks') === 'off') {
	Object.defineProperty(Navigator.prototype, 'locks', {get: () => undefined, configurable: true});
}

/**
 * An injected fault: every message on a sharedMemoryStore channel reaches this page `ms` later than the
 * browser delivered it (in order). Chromium itself delivers a message posted before a Web Lock is released
 * after the next holder was granted it now and then (35 of 500 handoffs in a bare page); this makes that
 * happen on every handoff, so the storm shows at once whether the store depends on the delivery order.
 */
function delayDelivery(ms: number): void {
	const Native = BroadcastChannel;
	const redelivered = new WeakSet<Event>();
	globalThis.BroadcastChannel = class extends Native {
		constructor(name: string) {
			super(name);
			if (!name.startsWith('ky-auth:shared:')) {
				return;
			}
			// Registered before the store sets onmessage, so it runs first and holds the event back.
			this.addEventListener('message', event => {
				if (redelivered.has(event)) {
					return;
				}
				event.stopImmediatePropagation();
				const later = new MessageEvent('message', {data: event.data});
				redelivered.add(later);
				setTimeout(() => this.dispatchEvent(later), ms);
			});
		}
	};
}
if (params.has('delay')) {
	delayDelivery(number('delay', 0));
}
const key = params.get('key') ?? 'auth';
const kind = params.get('store') ?? 'protected';
const shared = kind === 'shared' || kind === 'shared-unguarded';
const sharedOptions = {key, lockTimeout: number('lockTimeout', 20_000), answerTimeout: number('answerTimeout', 250)};
const full = kind === 'shared'
	? sharedMemoryStore(sharedOptions)
	: kind === 'shared-unguarded'
		? createSharedMemoryStore(sharedOptions, {current: false})
		: indexedDbStore({key, lockTimeout: number('lockTimeout', 30_000)});
/** The name of the store's refresh lock (Web Locks). */
const lockName = shared ? `ky-auth:shared:${encodeURIComponent(key)}` : `ky-auth:ky-auth:${key}`;
const unprotected: TokenStore = {
	get: async () => full.get(),
	set: async record => full.set(record),
	subscribe: listener => full.subscribe?.(listener) ?? (() => undefined),
};
const store = kind === 'unprotected' ? unprotected : full;

/** Added to the clock the session reads, to put tokens inside their refresh window without waiting. */
let skew = 0;
/** When armed, the next refresh stops before sending its token request until the test opens it. */
let gate: {reached: () => void; opened: Promise<void>} | undefined;
let openGate = (): void => undefined;
const counts = {refreshCalls: 0, refreshesSent: 0};

async function refresh({tokens, signal}: {tokens: TokenSet | null; signal: AbortSignal}): Promise<TokenSet | null> {
	counts.refreshCalls++;
	if (gate) {
		const current = gate;
		gate = undefined;
		current.reached();
		await current.opened;
	}
	counts.refreshesSent++;
	const response = await fetch('/token', {
		method: 'POST',
		headers: {'content-type': 'application/json'},
		body: JSON.stringify({refresh_token: tokens?.refreshToken ?? ''}),
		signal,
	});
	if (response.status === 400) {
		return null;
	}
	if (!response.ok) {
		throw new Error(`token endpoint answered ${response.status}`);
	}
	const body = await response.json() as {access_token: string; refresh_token: string; expires_in: number};
	return {accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in, tokenType: 'Bearer'};
}

const session = createAuthSession({
	store,
	refresh,
	refreshWindow: number('refreshWindow', 60_000),
	refreshTimeout: number('refreshTimeout', 10_000),
	now: () => Date.now() + skew,
});
const authFetch = createAuthFetch(session);

/** The user a token belongs to (tokens read `<user>.<family>.<n>.<random>`). */
const userOf = (token: string | undefined): string | null => token?.split('.')[0] ?? null;

/** A token without its random part: `<user>.<family>.<n>` names it uniquely in these tests. */
const label = (token: string | null | undefined): string | null => token ? token.split('.').slice(0, 3).join('.') : null;

/** What the store holds now: its sign-in id and generation (`null` for a bare TokenSet), user and token label. */
async function stored(): Promise<{id: string | null; generation: number | null; user: string | null; token: string | null} | null> {
	const value = await full.get();
	if (value === null) {
		return null;
	}
	if ('tokens' in value) {
		const token = value.tokens.accessToken;
		return {id: value.id, generation: value.generation, user: userOf(token), token: label(token)};
	}
	return {id: null, generation: null, user: userOf(value.accessToken), token: label(value.accessToken)};
}

/** One result of a request, as the test sees it. */
export interface CallResult {
	ok: boolean;
	status: number;
	code: string | null;
	/** The user the API says the token belonged to. */
	user: string | null;
}

/** One API request, sent as `as` (the server counts it when the token belongs to someone else). */
async function call(as: string | null): Promise<CallResult> {
	try {
		const response = await authFetch('/api', {headers: as === null ? {} : {'x-as-user': as}});
		const body = response.ok ? await response.json() as {user: string} : null;
		return {ok: response.ok, status: response.status, code: null, user: body?.user ?? null};
	} catch (error) {
		const {code, name} = error as {code?: unknown; name?: unknown};
		return {ok: false, status: 0, code: typeof code === 'string' ? code : String(name), user: null};
	}
}

const harness = {
	async signIn(user: string): Promise<string | null> {
		const response = await fetch(`/login?user=${encodeURIComponent(user)}`, {method: 'POST'});
		const body = await response.json() as {access_token: string; refresh_token: string; expires_in: number};
		await session.signIn({accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in, tokenType: 'Bearer'});
		return label(body.access_token);
	},
	/** The label of the token the session would send now (may wait for a refresh). */
	holding: async (): Promise<string | null> => label(await session.getAccessToken()),
	signOut: async (): Promise<void> => session.signOut(),
	/** `n` requests at once, sent as the user stored when the burst starts. */
	async burst(n: number): Promise<CallResult[]> {
		const as = (await stored())?.user ?? null;
		return Promise.all(Array.from({length: n}, async () => call(as)));
	},
	/** Requests every `every` ms for `duration` ms (the rolling proactive refresh). */
	async roll(duration: number, every: number): Promise<CallResult[]> {
		const results: Array<Promise<CallResult>> = [];
		const end = Date.now() + duration;
		while (Date.now() < end) {
			results.push(call((await stored())?.user ?? null));
			await new Promise(resolve => setTimeout(resolve, every));
		}
		return Promise.all(results);
	},
	snapshot: () => {
		const {status, ready, error} = session.getSnapshot();
		return {status, ready, error: error ? (error as {code?: string}).code ?? error.name : null};
	},
	stored,
	counts: () => ({...counts}),
	setSkew(ms: number): void {
		skew = ms;
	},
	/** Arms the gate; resolves when the next refresh reaches it (holding the lock, before its token request). */
	async armGate(): Promise<void> {
		const opened = new Promise<void>(resolve => {
			openGate = resolve;
		});
		return new Promise<void>(reached => {
			gate = {reached, opened};
		});
	},
	openGate: (): void => openGate(),
	/** How many holders and waiters the Web Lock of this store has, across tabs. */
	async lockState(): Promise<{held: number; pending: number}> {
		const state = await navigator.locks.query();
		return {
			held: (state.held ?? []).filter(lock => lock.name === lockName).length,
			pending: (state.pending ?? []).filter(lock => lock.name === lockName).length,
		};
	},
	/** How many tabs hold a copy of this sharedMemoryStore record now (their presence locks, across tabs). */
	async sharing(): Promise<number> {
		const state = await navigator.locks.query();
		return (state.held ?? []).filter(lock => lock.name?.startsWith(`${lockName}:tab:`)).length;
	},
	/** What this origin keeps on disk: IndexedDB databases, Web Storage entries. */
	async persisted(): Promise<{databases: Array<string | undefined>; localStorage: number; sessionStorage: number}> {
		return {databases: (await indexedDB.databases()).map(database => database.name), localStorage: localStorage.length, sessionStorage: sessionStorage.length};
	},
	/** Fires `pagehide` as the browser does when the page is left. */
	hide(persisted: boolean): void {
		window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted}));
	},
	/** Fires `pageshow` as the browser does when the page comes back. */
	show(persisted: boolean): void {
		window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted}));
	},
	dispose: (): void => session.dispose(),
	store: full,
	/** Holds and releases the store's lock on the test's command (store-level tests). */
	locks: lockProbe(full),
};

/** What `window.harness` offers the test. */
export type Harness = typeof harness;
(globalThis as {harness?: Harness}).harness = harness;
