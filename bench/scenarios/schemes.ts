/**
 * Credential schemes in steady state: what each scheme adds per request over plain ky sending the same
 * credential (the same header, or for a query-parameter key the same URL), so only ky-auth's own work differs.
 * Canned fetch, interleaved rounds, medians of per-round differences, as in the in-process scenario.
 *
 * - bearer(): the default scheme (`allowedOrigins` from `prefix`);
 * - basic() with a fixed password and apiKey() (header, query), each bound with `schemes: [{origins, scheme}]`;
 * - dpop({keys: memoryKeys()}) from `ky-auth/dpop`, signed in with `tokenType: 'DPoP'`: a fresh ES256 proof per
 *   request; plain ky sends a fixed, pre-signed proof, so the difference includes the signing.
 *
 * Raw fetch (a fixed bearer header) is the floor. `dpop().proof({method, url})` on its own (with and without
 * `accessToken`, which adds the token hash `ath`) runs in the same rounds, to show how much of DPoP's cost is the
 * signature; so does plain ky with a proof signed by hand before each request (the same signer, set as a per-call
 * header), which is what DPoP costs without ky-auth.
 *
 * Before measuring, each client sends one request through a fetch that checks the credential is on it: a
 * contender that silently sent nothing would otherwise look free.
 */
import ky from 'ky';
import {apiKey, basic, bearer, createAuthClient, createAuthSession, memoryStore, type CredentialScheme, type TokenSet} from '../../dist/index.js';
import {dpop, memoryKeys} from '../../dist/dpop.js';
import type {BenchConfig} from '../config.ts';
import {collectGarbage} from '../environment.ts';
import {sequential, type Call} from '../load.ts';
import {median, paired, quantile, roundOrder} from '../stats.ts';
import {cannedFetch} from './in-process.ts';

/** The schemes measured, in table order. */
export const schemeIds = ['bearer', 'basic', 'apiKeyHeader', 'apiKeyQuery', 'dpop'] as const;
export type SchemeId = typeof schemeIds[number];

export interface SchemeRow {
	id: SchemeId;
	label: string;
	/** Median wall-clock µs per request: plain ky sending the same credential. */
	plainKyUs: number;
	/** Median wall-clock µs per request: ky-auth with the scheme. */
	kyAuthUs: number;
	/** Median of the per-round differences ky-auth − plain ky, µs per request. */
	addedOverKy: number;
	/** The middle half (25th … 75th percentile) of those per-round differences. */
	addedMiddleHalf: [number, number];
	/** Median of the per-round differences ky-auth − raw fetch, µs per request. */
	addedOverFetch: number;
}

export interface SchemesResult {
	rounds: number;
	requestsPerRound: number;
	/** Median wall-clock µs per request of raw fetch with a fixed bearer header. */
	fetchUs: number;
	rows: SchemeRow[];
	/** Median µs per `dpop().proof({method: 'GET', url})` (no access token). */
	dpopProofUs: number;
	/** Median µs per `dpop().proof({method: 'GET', url, accessToken})` (with `ath`), as a request signs it. */
	dpopProofWithTokenUs: number;
	/** Plain ky with a proof signed by hand before each request: DPoP without ky-auth. */
	dpopByHand: {
		/** Median wall-clock µs per request. */
		us: number;
		/** Median of the per-round differences ky-auth's dpop() − by hand, µs per request. */
		kyAuthOverByHand: number;
		/** The middle half of those per-round differences. */
		middleHalf: [number, number];
	};
}

const origin = 'http://api.bench.invalid';
const path = 'api/item';
const url = `${origin}/${path}`;
const token = 'scheme-token-0123456789abcdef';
const username = 'reports';
const password = 'bench-password-0123';
const key = 'bench-api-key-0123456789';

/** What a request carried, copied while it is in flight (ky-auth takes its credentials off once the send settles). */
interface Seen {
	url: string;
	headers: Headers;
}

/** A fetch that answers like the canned one and records what it was sent. */
function recordingFetch(seen: Seen[]): typeof globalThis.fetch {
	return async (input, init) => {
		const request = new Request(input, init);
		seen.push({url: request.url, headers: new Headers(request.headers)});
		return cannedFetch(input, init);
	};
}

interface SchemeSetup {
	id: SchemeId;
	label: string;
	/** Plain ky's headers and path for the same credential. */
	plain(): Promise<{headers: Record<string, string>; path: string}>;
	/** The scheme and how it is bound: as the session's `scheme`, or in `schemes` for the API's origin. */
	scheme(): {scheme: CredentialScheme; bound: 'scheme' | 'schemes'; tokenType?: string};
	/** Whether a request sent by ky-auth carried the credential. */
	carries(seen: Seen): boolean;
}

const setups: readonly SchemeSetup[] = [
	{
		id: 'bearer',
		label: 'bearer() (default)',
		plain: async () => ({headers: {authorization: `Bearer ${token}`}, path}),
		scheme: () => ({scheme: bearer(), bound: 'scheme'}),
		carries: seen => seen.headers.get('authorization') === `Bearer ${token}`,
	},
	{
		id: 'basic',
		label: 'basic() (fixed password)',
		plain: async () => ({headers: {authorization: `Basic ${btoa(`${username}:${password}`)}`}, path}),
		scheme: () => ({scheme: basic({username, password}), bound: 'schemes'}),
		carries: seen => seen.headers.get('authorization') === `Basic ${btoa(`${username}:${password}`)}`,
	},
	{
		id: 'apiKeyHeader',
		label: 'apiKey() header',
		plain: async () => ({headers: {'x-api-key': key}, path}),
		scheme: () => ({scheme: apiKey({header: 'X-API-Key', key}), bound: 'schemes'}),
		carries: seen => seen.headers.get('x-api-key') === key,
	},
	{
		id: 'apiKeyQuery',
		label: 'apiKey() query',
		plain: async () => ({headers: {}, path: `${path}?api_key=${key}`}),
		scheme: () => ({scheme: apiKey({query: 'api_key', key}), bound: 'schemes'}),
		carries: seen => new URL(seen.url).searchParams.get('api_key') === key,
	},
	{
		id: 'dpop',
		label: 'dpop() (ES256, memoryKeys)',
		// A fixed proof signed once: plain ky sends the same headers, without signing per request.
		plain: async () => ({headers: {authorization: `DPoP ${token}`, dpop: await dpop({keys: memoryKeys()}).proof({method: 'GET', url, accessToken: token})}, path}),
		scheme: () => ({scheme: dpop({keys: memoryKeys()}), bound: 'scheme', tokenType: 'DPoP'}),
		carries: seen => seen.headers.get('authorization') === `DPoP ${token}` && (seen.headers.get('dpop') ?? '').split('.').length === 3,
	},
];

async function plainKyCall(setup: SchemeSetup, fetch: typeof globalThis.fetch): Promise<Call> {
	const {headers, path: target} = await setup.plain();
	const api = ky.create({prefix: origin, headers, fetch});
	return async () => {
		await api.get(target).json();
	};
}

async function kyAuthCall(setup: SchemeSetup, fetch: typeof globalThis.fetch): Promise<Call> {
	const {scheme, bound, tokenType} = setup.scheme();
	const session = createAuthSession({store: memoryStore(), refresh: async (): Promise<TokenSet> => ({accessToken: 'refreshed-token', expiresIn: 3600})});
	await session.signIn({accessToken: token, refreshToken: 'r', expiresIn: 3600, ...(tokenType === undefined ? {} : {tokenType})});
	const binding = bound === 'scheme' ? {scheme} : {schemes: [{origins: [origin], scheme}]};
	const api = createAuthClient(session, {prefix: origin, fetch, ...binding});
	return async () => {
		await api.get(path).json();
	};
}

/** One request through a recording fetch: throws unless the credential was on it. */
async function verify(setup: SchemeSetup): Promise<void> {
	const plainSeen: Seen[] = [];
	await (await plainKyCall(setup, recordingFetch(plainSeen)))();
	const authSeen: Seen[] = [];
	await (await kyAuthCall(setup, recordingFetch(authSeen)))();
	if (plainSeen.length !== 1 || !setup.carries(plainSeen[0]!)) {
		throw new Error(`schemes: plain ky for ${setup.label} did not send the credential`);
	}
	if (authSeen.length !== 1 || !setup.carries(authSeen[0]!)) {
		throw new Error(`schemes: ky-auth with ${setup.label} did not send the credential`);
	}
}

const minus = (a: number, b: number): number => a - b;

/** A full GC every this many rounds, outside any measured slot. */
const gcEveryRounds = 50;

export async function runSchemes(config: BenchConfig, log: (line: string) => void): Promise<SchemesResult> {
	const {rounds, requestsPerRound, warmupRequests} = config.inProcess;
	for (const setup of setups) {
		await verify(setup);
	}
	const calls = new Map<string, Call>();
	const headers = {authorization: `Bearer ${token}`};
	calls.set('fetch', async () => {
		const response = await cannedFetch(url, {headers});
		await response.json();
	});
	for (const setup of setups) {
		calls.set(`ky:${setup.id}`, await plainKyCall(setup, cannedFetch));
		calls.set(`kyAuth:${setup.id}`, await kyAuthCall(setup, cannedFetch));
	}
	const proofs = dpop({keys: memoryKeys()});
	calls.set('proof', async () => {
		await proofs.proof({method: 'GET', url});
	});
	calls.set('proofWithToken', async () => {
		await proofs.proof({method: 'GET', url, accessToken: token});
	});
	const byHand = ky.create({prefix: origin, headers: {authorization: `DPoP ${token}`}, fetch: cannedFetch});
	calls.set('dpopByHand', async () => {
		const proof = await proofs.proof({method: 'GET', url, accessToken: token});
		await byHand.get(path, {headers: {dpop: proof}}).json();
	});

	const ids = [...calls.keys()];
	for (const id of ids) {
		await sequential(calls.get(id)!, warmupRequests);
	}
	const wallUs = new Map(ids.map(id => [id, [] as number[]]));
	for (let round = 0; round < rounds; round++) {
		if (round % gcEveryRounds === 0) {
			collectGarbage();
		}
		for (const id of roundOrder(ids, round)) {
			wallUs.get(id)!.push((await sequential(calls.get(id)!, requestsPerRound)).wallUs);
		}
		if ((round + 1) % 200 === 0 || round + 1 === rounds) {
			log(`  schemes: round ${round + 1}/${rounds}`);
		}
	}
	const of = (id: string): number[] => wallUs.get(id)!;
	const rows = setups.map((setup): SchemeRow => {
		const added = paired(of(`kyAuth:${setup.id}`), of(`ky:${setup.id}`), minus);
		return {
			id: setup.id,
			label: setup.label,
			plainKyUs: median(of(`ky:${setup.id}`)),
			kyAuthUs: median(of(`kyAuth:${setup.id}`)),
			addedOverKy: median(added),
			addedMiddleHalf: [quantile(added, 0.25), quantile(added, 0.75)],
			addedOverFetch: median(paired(of(`kyAuth:${setup.id}`), of('fetch'), minus)),
		};
	});
	const byHandDifferences = paired(of('kyAuth:dpop'), of('dpopByHand'), minus);
	return {
		rounds,
		requestsPerRound,
		fetchUs: median(of('fetch')),
		rows,
		dpopProofUs: median(of('proof')),
		dpopProofWithTokenUs: median(of('proofWithToken')),
		dpopByHand: {
			us: median(of('dpopByHand')),
			kyAuthOverByHand: median(byHandDifferences),
			middleHalf: [quantile(byHandDifferences, 0.25), quantile(byHandDifferences, 0.75)],
		},
	};
}
