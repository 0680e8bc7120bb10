/**
 * ky-auth demo: a scripted client against a local OAuth server (demo/server.ts).
 * Run with `npm run demo` (builds dist/ first). Exits 1 when any expectation fails.
 */
import {isDeepStrictEqual} from 'node:util';
import {
	AuthenticationError,
	createAuthClient,
	createAuthSession,
	PermissionError,
	type RefreshContext,
	type RefreshReason,
	type TokenSet,
} from '../dist/index.js';
import {startDemoServer, type DemoCounts} from './server.ts';
import {createTimeline} from './timeline.ts';

/** Access tokens live this many seconds. */
const accessTokenTtl = 3;
/** The session refreshes in the background this many ms before expiry. */
const refreshWindow = 1000;

const timeline = createTimeline();
const watchdog = setTimeout(() => {
	timeline.check('the demo finished within 15 s', false);
	process.exit(1);
}, 15_000);
watchdog.unref();

const server = await startDemoServer({accessTokenTtl});

// ── Token endpoint calls: plain fetch, never the ky-auth client ─────────────────────────────────

interface TokenResponse {
	access_token: string;
	token_type?: string;
	expires_in?: number;
	refresh_token?: string;
	scope?: string;
}

function toTokenSet(body: TokenResponse): TokenSet {
	return {
		accessToken: body.access_token,
		refreshToken: body.refresh_token,
		expiresIn: body.expires_in,
		tokenType: body.token_type,
		scope: body.scope,
	};
}

async function login(username: string, password: string): Promise<TokenSet> {
	const response = await fetch(server.tokenEndpoint, {
		method: 'POST',
		body: new URLSearchParams({grant_type: 'password', username, password}),
	});
	if (!response.ok) {
		throw new Error(`login failed: ${response.status} ${await response.text()}`);
	}
	return toTokenSet(await response.json() as TokenResponse);
}

/** What each call of the refresh callback ended with. */
const refreshOutcomes: string[] = [];

async function refresh({tokens, reason, signal}: RefreshContext): Promise<TokenSet | null> {
	const response = await fetch(server.tokenEndpoint, {
		method: 'POST',
		body: new URLSearchParams({grant_type: 'refresh_token', refresh_token: tokens?.refreshToken ?? ''}),
		signal,
	});
	if (response.status === 400) {
		const error = (await response.json() as {error?: string}).error;
		if (error === 'invalid_grant') {
			refreshOutcomes.push(`${reason}: 400 invalid_grant → null`);
			return null; // The refresh token is dead: the session is over.
		}
	}
	if (!response.ok) {
		throw new Error(`token endpoint answered ${response.status}`);
	}
	refreshOutcomes.push(`${reason}: new tokens`);
	return toTokenSet(await response.json() as TokenResponse);
}

// ── Session, events and client ──────────────────────────────────────────────────────────────────

const session = createAuthSession({refresh, refreshWindow, refreshTimeout: 5000});

interface SeenEvent {
	name: string;
	reason?: RefreshReason;
	at: number;
}

const events: SeenEvent[] = [];
const waiters: Array<{name: string; resolve: (event: SeenEvent) => void}> = [];

function record(event: SeenEvent): void {
	events.push(event);
	for (const waiter of waiters.splice(0)) {
		if (waiter.name === event.name) {
			waiter.resolve(event);
		} else {
			waiters.push(waiter);
		}
	}
}

function inMs(expiresAt: number | null | undefined): string {
	return typeof expiresAt === 'number' ? `expires in ${expiresAt - Date.now()} ms` : 'no expiry';
}

session.addEventListener('signedin', event => {
	const {expiresAt} = (event as CustomEvent<{expiresAt: number | null}>).detail;
	timeline.event('signedin', `(token ${inMs(expiresAt)})`);
	record({name: 'signedin', at: Date.now()});
});
session.addEventListener('refresh', event => {
	const {reason, expiresAt} = (event as CustomEvent<{reason: RefreshReason; expiresAt: number | null}>).detail;
	timeline.event('refresh', `reason=${reason} (new token ${inMs(expiresAt)})`);
	record({name: 'refresh', reason, at: Date.now()});
});
session.addEventListener('refresherror', event => {
	const error = (event as CustomEvent<Error>).detail;
	timeline.event('refresherror', `${error.name}: ${error.message}`);
	record({name: 'refresherror', at: Date.now()});
});
session.addEventListener('signedout', () => {
	timeline.event('signedout');
	record({name: 'signedout', at: Date.now()});
});

/** Resolves with the next event called `name`, or rejects after `timeout` ms. */
async function nextEvent(name: string, timeout = 3000): Promise<SeenEvent> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			reject(new Error(`no '${name}' event within ${timeout} ms`));
		}, timeout);
		waiters.push({
			name,
			resolve(event) {
				clearTimeout(timer);
				resolve(event);
			},
		});
	});
}

const api = createAuthClient(session, {baseUrl: `${server.origin}/api/`, timeout: 5000});

/** Every logical request carries a unique id; the server counts an id it has seen before as a retry. */
let requestIds = 0;
const nextRequestId = (): string => `req-${++requestIds}`;

interface Item {
	id: string;
	name: string;
}

interface Payload {
	n: number;
	title: string;
	text: string;
	tags: string[];
	nested: {even: boolean; ratio: number};
}

function payload(n: number): Payload {
	return {n, title: `note ${n}`, text: 'héllo wörld ✓ 🚀 '.repeat((n % 4) + 1), tags: ['demo', `t${n}`], nested: {even: n % 2 === 0, ratio: n / 7}};
}

type Outcome =
	| {kind: 'get'; id: string; ok: boolean}
	| {kind: 'post'; id: string; ok: boolean; intact: boolean};

async function getItem(itemId: string): Promise<Outcome> {
	const id = nextRequestId();
	const item = await api.get(`items/${itemId}`, {headers: {'x-request-id': id}}).json<Item>();
	return {kind: 'get', id, ok: item.id === itemId};
}

async function postItem(n: number): Promise<Outcome> {
	const id = nextRequestId();
	const sent = payload(n);
	const echoed = await api.post('items', {json: sent, headers: {'x-request-id': id}}).json<unknown>();
	return {kind: 'post', id, ok: true, intact: isDeepStrictEqual(echoed, sent)};
}

/** Fires `count` requests at once, alternating GET and POST. */
async function burst(count: number, label: string): Promise<{outcomes: Outcome[]; errors: unknown[]}> {
	const settled = await Promise.allSettled(Array.from({length: count}, async (_, index) => (index % 2 === 0
		? getItem(`${label}-${index}`)
		: postItem(index))));
	const outcomes: Outcome[] = [];
	const errors: unknown[] = [];
	for (const result of settled) {
		if (result.status === 'fulfilled') {
			outcomes.push(result.value);
		} else {
			errors.push(result.reason);
		}
	}
	return {outcomes, errors};
}

function delta(after: DemoCounts, before: DemoCounts): DemoCounts {
	const result = {...after};
	for (const key of Object.keys(result) as Array<keyof DemoCounts>) {
		result[key] = after[key] - before[key];
	}
	return result;
}

function describeError(error: unknown): string {
	return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function sleep(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}

function summarize(outcomes: Outcome[], errors: unknown[], total: number): void {
	const gets = outcomes.filter(outcome => outcome.kind === 'get');
	const posts = outcomes.filter(outcome => outcome.kind === 'post');
	timeline.check(`all ${total} requests succeeded`, errors.length === 0 && outcomes.every(outcome => outcome.ok),
		errors.length === 0 ? `${gets.length} GET, ${posts.length} POST` : `${errors.length} failed, first: ${describeError(errors[0])}`);
	const intact = posts.filter(outcome => outcome.kind === 'post' && outcome.intact).length;
	timeline.check('every POST body was echoed intact', intact === posts.length && posts.length > 0, `${intact}/${posts.length}`);
}

// ── The script ──────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
	timeline.note(`server ${server.origin}: access tokens live ${accessTokenTtl} s, rotating refresh tokens; client refreshWindow ${refreshWindow} ms`);

	// 1. Sign in
	timeline.step('Sign in (password grant, plain fetch)');
	await session.signIn(await login('demo', 'demo'));
	timeline.check('signed in', session.getSnapshot().status === 'signedIn' && server.counts().passwordGrants === 1);

	// 2. A burst with a valid token
	timeline.step('20 parallel requests (GET and POST) with a valid token');
	let before = server.counts();
	const first = await burst(20, 'a');
	summarize(first.outcomes, first.errors, 20);
	let step = delta(server.counts(), before);
	timeline.check('no 401, no token-endpoint call', step.unauthorized === 0 && step.refreshGrants + step.invalidGrants === 0,
		`${step.apiRequests} API requests`);

	// 3. Proactive refresh inside the refresh window
	timeline.step('Proactive refresh inside the refresh window');
	const expiresAt = session.getSnapshot().expiresAt ?? Date.now();
	const windowOpensAt = expiresAt - refreshWindow;
	const wait = Math.max(0, windowOpensAt - Date.now() + 50);
	timeline.note(`waiting ${wait} ms until the refresh window opens (${refreshWindow} ms before expiry)`);
	await sleep(wait);
	before = server.counts();
	const refreshed = nextEvent('refresh');
	const logStart = server.log.length;
	const proactive = await getItem('proactive');
	timeline.note('GET items/proactive answered while the refresh runs in the background');
	const proactiveEvent = await refreshed;
	step = delta(server.counts(), before);
	timeline.check('the request succeeded with the still-valid token, without waiting',
		proactive.ok && server.log[logStart]?.status === 200 && server.log[logStart]?.tokenSerial === 1,
		`sent with token #${server.log[logStart]?.tokenSerial}`);
	timeline.check("'refresh' event with reason 'expiring'", proactiveEvent.reason === 'expiring', `reason=${proactiveEvent.reason}`);
	timeline.check('refreshed before the old token expired', proactiveEvent.at < expiresAt, `${expiresAt - proactiveEvent.at} ms to spare`);
	timeline.check('one token-endpoint call, no 401', step.refreshGrants === 1 && step.unauthorized === 0);

	// 4. Server-side revocation, then a storm
	timeline.step('Server revokes every access token; 25 parallel requests');
	before = server.counts();
	const refreshesBefore = events.filter(event => event.name === 'refresh').length;
	timeline.note(`server revoked ${server.revokeAccessTokens()} live access token(s)`);
	const storm = await burst(25, 'b');
	step = delta(server.counts(), before);
	summarize(storm.outcomes, storm.errors, 25);
	const stormRefreshes = events.filter(event => event.name === 'refresh').slice(refreshesBefore);
	timeline.check("exactly one refresh, reason 'unauthorized'",
		stormRefreshes.length === 1 && stormRefreshes[0]?.reason === 'unauthorized' && step.refreshGrants === 1 && step.invalidGrants === 0,
		`${stormRefreshes.length} refresh event(s), ${step.refreshGrants} token-endpoint call(s)`);
	const retriedOnce = storm.outcomes.filter(outcome => {
		const attempts = server.log.filter(entry => entry.requestId === outcome.id);
		return attempts.length === 2 && attempts[0]!.status === 401 && attempts[1]!.status < 300
			&& attempts[1]!.tokenSerial !== null && attempts[1]!.tokenSerial !== attempts[0]!.tokenSerial;
	}).length;
	timeline.check('every request got one 401 and was retried once with the new token', retriedOnce === 25 && step.retries === 25,
		`${step.unauthorized} × 401, ${step.retries} retries, ${step.apiRequests} API requests`);

	// 5. 403
	timeline.step('GET /api/admin without the admin scope');
	before = server.counts();
	const denied = await api.get('admin', {headers: {'x-request-id': nextRequestId()}}).then(() => undefined, (error: unknown) => error);
	step = delta(server.counts(), before);
	if (denied instanceof PermissionError) {
		timeline.note(`${denied.name} ${denied.code}: requiredScopes ${JSON.stringify(denied.requiredScopes)}`);
	}
	timeline.check('PermissionError thrown', denied instanceof PermissionError, denied instanceof PermissionError ? undefined : describeError(denied));
	timeline.check("requiredScopes is ['admin']", denied instanceof PermissionError && isDeepStrictEqual([...denied.requiredScopes], ['admin']));
	timeline.check('no refresh, no retry', step.apiRequests === 1 && step.refreshGrants + step.invalidGrants === 0 && step.retries === 0);

	// 6. The refresh token family is revoked: the session ends
	timeline.step('Server revokes the refresh-token family and the access tokens; next request');
	before = server.counts();
	server.revokeRefreshTokenFamily();
	server.revokeAccessTokens();
	const outcomesBefore = refreshOutcomes.length;
	const signedOut = nextEvent('signedout');
	const ended = await getItem('after-revocation').then(() => undefined, (error: unknown) => error);
	const signedOutEvent = await signedOut.catch(() => undefined);
	step = delta(server.counts(), before);
	if (ended instanceof AuthenticationError) {
		timeline.note(`${ended.name} ${ended.code}: ${ended.message}`);
	}
	const outcome = refreshOutcomes.slice(outcomesBefore);
	timeline.check('the refresh callback got 400 invalid_grant and returned null',
		step.invalidGrants === 1 && outcome.length === 1 && outcome[0]!.endsWith('null'), outcome.join('; ') || 'not called');
	timeline.check("'signedout' event", signedOutEvent !== undefined);
	timeline.check('AuthenticationError thrown', ended instanceof AuthenticationError, ended instanceof AuthenticationError ? undefined : describeError(ended));
	timeline.check('session is signed out', session.getSnapshot().status === 'signedOut' && await session.getAccessToken() === null);

	// Totals
	const counts = server.counts();
	const byReason = (reason: RefreshReason): number => events.filter(event => event.name === 'refresh' && event.reason === reason).length;
	timeline.table('Server counts', [
		['API requests', counts.apiRequests],
		['401 answers', counts.unauthorized],
		['403 answers', counts.forbidden],
		['retries (same request id after a 401)', counts.retries],
		['token endpoint: password grants', counts.passwordGrants],
		['token endpoint: refresh grants', counts.refreshGrants],
		['token endpoint: invalid_grant', counts.invalidGrants],
	]);
	timeline.table('Session events', [
		["'refresh' (expiring)", byReason('expiring')],
		["'refresh' (unauthorized)", byReason('unauthorized')],
		["'refresh' (expired/manual)", byReason('expired') + byReason('manual')],
		["'refresherror'", events.filter(event => event.name === 'refresherror').length],
		["'signedout'", events.filter(event => event.name === 'signedout').length],
	]);
	write('');
	timeline.check('totals: 73 API requests, 26 × 401, 25 retries, 2 refreshes, 1 invalid_grant',
		counts.apiRequests === 73 && counts.unauthorized === 26 && counts.retries === 25 && counts.refreshGrants === 2 && counts.invalidGrants === 1
		&& byReason('expired') + byReason('manual') === 0 && events.filter(event => event.name === 'refresherror').length === 0);
}

function write(line: string): void {
	process.stdout.write(`${line}\n`);
}

try {
	await main();
} catch (error) {
	timeline.check('the demo ran to completion', false, describeError(error));
} finally {
	await server.close();
	clearTimeout(watchdog);
}

const {passed, failed} = timeline.result();
write('');
write(failed === 0
	? `✔ all ${passed} checks passed in ${timeline.elapsed()} ms`
	: `✘ ${failed} of ${passed + failed} checks failed (${timeline.elapsed()} ms)`);
process.exitCode = failed === 0 ? 0 : 1;
