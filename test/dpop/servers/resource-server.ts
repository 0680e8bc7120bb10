import {type IncomingHttpHeaders, type IncomingMessage, type ServerResponse} from 'node:http';
import {dpopChallenge, dpopHeaders, parseAuthorization, sendJson} from './http-io.js';
import {createCorsState, type CorsState, type WithCorsOption} from './cors.js';
import {closeServer, serveOnLoopback} from './listen.js';
import {createPathRules, type ChallengeRule} from './path-rules.js';
import {createProofPolicy, policyControls, type PolicyControls, type ProofPolicyOptions} from './proof-policy.js';
import {requestUrl} from './request-url.js';
import {countRejection, createStats, type ServerStats} from './stats.js';
import type {TokenValidator} from './token-registry.js';
import {verifyProof, type LoggedProof, type ProofFailure} from './verify-proof.js';

/** Options of {@link startDPoPResourceServer}. */
export interface DPoPResourceServerOptions extends ProofPolicyOptions, WithCorsOption {
	/** Where access tokens are looked up: the token server (`validate`) or a shared `TokenRegistry`. */
	readonly tokens: TokenValidator;
	/** With `requireNonce`: after this many accepted requests the nonce rotates (the 200 carries the new one). Default: never. */
	readonly rotateNonceEvery?: number;
	/** Paths answered `302 Location: <url>` whatever the request carries (no checks). */
	readonly redirects?: Readonly<Record<string, string>>;
	/** Paths answered with a challenge once the request is otherwise valid. */
	readonly challenges?: Readonly<Record<string, ChallengeRule>>;
}

/**
 * Why a resource request was refused, beyond the proof's own {@link ProofFailure}s:
 * `no-host` (400), `no-token` (401 `DPoP algs=…`, no error: no `Authorization` or an empty one),
 * `unsupported-scheme` (401, no error), `bearer-scheme` (401 invalid_token: `Bearer` with a DPoP-bound
 * or unknown token), `token-unknown` / `token-expired` (401 invalid_token), `jkt-mismatch` (401
 * invalid_dpop_proof: the proof key is not the token's `cnf.jkt`), or a challenge rule's `error`.
 */
export type ResourceRejection = ProofFailure | 'no-host' | 'no-token' | 'unsupported-scheme' | 'bearer-scheme' | 'token-unknown' | 'token-expired' | 'jkt-mismatch';

/** One request a resource server answered. */
export interface ResourceRequestRecord {
	readonly method: string;
	/** The path without query. */
	readonly path: string;
	/** The URL as the client saw it (Host header and target), `undefined` without Host. */
	readonly url: string | undefined;
	/** The raw headers (they include credentials: for assertions such as "nothing reached this origin"). */
	readonly headers: IncomingHttpHeaders;
	/** The `Authorization` scheme, as sent. */
	readonly authScheme: string | undefined;
	/** The decoded proof (even a refused one, when it decoded). */
	readonly proof: LoggedProof | undefined;
	readonly status: number;
	/** `accepted`, `redirected`, or the rejection reason. */
	readonly outcome: 'accepted' | 'redirected' | ResourceRejection | (string & {});
}

/** Counters of a resource server. */
export interface ResourceServerStats extends ServerStats {
	/** Requests answered with a configured redirect. */
	redirects: number;
}

/** A running DPoP resource server. */
export interface DPoPResourceServer extends PolicyControls {
	/** `http://127.0.0.1:<port>` */
	readonly origin: string;
	/** `${origin}/` */
	readonly url: string;
	/** `${origin}${path}` */
	urlFor(path: string): string;
	readonly stats: ResourceServerStats;
	/** Every request, in arrival order. */
	readonly requests: readonly ResourceRequestRecord[];
	setRedirect(path: string, location: string | undefined): void;
	setChallenge(path: string, rule: ChallengeRule | undefined): void;
	/** The CORS state (change the exposed headers while it runs), `undefined` without the `cors` option. */
	readonly cors: CorsState | undefined;
	close(): Promise<void>;
}

interface Answer {
	readonly status: number;
	readonly outcome: ResourceRequestRecord['outcome'];
	readonly body: unknown;
	readonly headers?: Readonly<Record<string, string>>;
}

function errorAnswer(status: number, outcome: string, error: string, description: string, params: Readonly<Record<string, string>> = {}): Answer {
	return {
		status,
		outcome,
		body: {error, error_description: description},
		headers: {'www-authenticate': dpopChallenge({error, error_description: description, ...params})},
	};
}

/**
 * Starts a resource server on 127.0.0.1 (ephemeral port) that accepts a request only with
 * `Authorization: DPoP <token>` and one valid DPoP proof for it (RFC 9449 §4.3 and §7): see
 * {@link verifyProof} for the proof checks, then the token must be known and unexpired (`invalid_token`)
 * and bound to the proof's key (`cnf.jkt`). Success is `200 {ok: true, sub, path}`. With `requireNonce`,
 * a proof without the current nonce gets `401 WWW-Authenticate: DPoP error="use_dpop_nonce"`, and every
 * response carries `DPoP-Nonce`. Every response carries `Date` from the server's (offset) clock.
 */
export async function startDPoPResourceServer(options: DPoPResourceServerOptions): Promise<DPoPResourceServer> {
	if (typeof options !== 'object' || options === null || typeof options.tokens?.validate !== 'function') {
		throw new TypeError(`startDPoPResourceServer: options.tokens: expected a TokenValidator ({validate(token)}), got ${typeof options?.tokens}`);
	}
	const rotateEvery = options.rotateNonceEvery ?? Number.POSITIVE_INFINITY;
	if (!(rotateEvery >= 1)) {
		throw new TypeError(`startDPoPResourceServer: options.rotateNonceEvery: expected a number ≥ 1, got ${String(rotateEvery)}`);
	}
	const policy = createProofPolicy('startDPoPResourceServer', options);
	const cors = createCorsState('startDPoPResourceServer', options.cors);
	const rules = createPathRules(options.redirects, options.challenges);
	const stats: ResourceServerStats = Object.assign(createStats(policy.replay), {redirects: 0});
	const requests: ResourceRequestRecord[] = [];
	const algs = {algs: policy.algorithms.join(' ')};
	let acceptedSinceRotation = 0;

	async function decide(request: IncomingMessage, url: string | undefined, path: string): Promise<Answer & {proof?: LoggedProof}> {
		const location = rules.redirect(path);
		if (location !== undefined) return {status: 302, outcome: 'redirected', body: {location}, headers: {location}};
		if (url === undefined) return {status: 400, outcome: 'no-host', body: {error: 'invalid_request', error_description: 'no Host header'}};
		const authorization = parseAuthorization(request);
		if (authorization === undefined || authorization.credentials === '') {
			return {status: 401, outcome: 'no-token', body: {error: 'unauthorized'}, headers: {'www-authenticate': dpopChallenge(algs)}};
		}
		const scheme = authorization.scheme.toLowerCase();
		if (scheme === 'bearer') {
			const known = options.tokens.validate(authorization.credentials) !== undefined;
			return errorAnswer(401, 'bearer-scheme', 'invalid_token', known ? 'a DPoP-bound token sent with the Bearer scheme' : 'unknown token', algs);
		}
		if (scheme !== 'dpop') return {status: 401, outcome: 'unsupported-scheme', body: {error: 'unauthorized'}, headers: {'www-authenticate': dpopChallenge(algs)}};

		const proofs = dpopHeaders(request);
		if (proofs.length !== 1) return errorAnswer(401, 'dpop-header-count', 'invalid_dpop_proof', `expected one DPoP header, got ${proofs.length}`, algs);
		const verdict = await verifyProof(proofs[0] ?? '', {
			method: request.method ?? '',
			url,
			now: policy.clock.now(),
			iatWindowSeconds: policy.iatWindowSeconds,
			algorithms: policy.algorithms,
			nonce: policy.nonce,
			accessToken: authorization.credentials,
			replay: policy.replay,
		});
		if (verdict.replayed) stats.replays++;
		if (!verdict.ok) {
			const nonceError = verdict.reason === 'nonce-missing' || verdict.reason === 'nonce-stale';
			const answer = errorAnswer(401, verdict.reason, nonceError ? 'use_dpop_nonce' : 'invalid_dpop_proof', verdict.message, nonceError ? {} : algs);
			return verdict.proof === undefined ? answer : {...answer, proof: verdict.proof};
		}
		const proof = verdict.proof;
		const token = options.tokens.validate(authorization.credentials);
		if (token === undefined) return {...errorAnswer(401, 'token-unknown', 'invalid_token', 'unknown or revoked access token'), proof};
		if (token.expiresAt <= policy.clock.now()) return {...errorAnswer(401, 'token-expired', 'invalid_token', 'the access token expired'), proof};
		if (token.jkt !== proof.jkt) return {...errorAnswer(401, 'jkt-mismatch', 'invalid_dpop_proof', 'the proof key is not the key the token is bound to', algs), proof};
		const challenge = rules.takeChallenge(path);
		if (challenge !== undefined) {
			return {...errorAnswer(challenge.status ?? 401, challenge.error, challenge.error, `challenge for ${path}`, challenge.params), proof};
		}
		return {status: 200, outcome: 'accepted', body: {ok: true, sub: token.sub, path}, proof};
	}

	async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		stats.requests++;
		const url = requestUrl(request, 'http');
		const path = new URL(url ?? `http://invalid${request.url?.startsWith('/') ? request.url : '/'}`).pathname;
		const answer = await decide(request, url, path);
		if (answer.outcome === 'accepted') {
			stats.accepted++;
			acceptedSinceRotation++;
			if (policy.nonce !== undefined && acceptedSinceRotation >= rotateEvery) {
				policy.nonce.rotate();
				acceptedSinceRotation = 0;
			}
		} else if (answer.outcome === 'redirected') {
			stats.redirects++;
		} else {
			countRejection(stats, answer.outcome);
		}
		requests.push({
			method: request.method ?? '',
			path,
			url,
			headers: request.headers,
			authScheme: parseAuthorization(request)?.scheme,
			proof: answer.proof,
			status: answer.status,
			outcome: answer.outcome,
		});
		sendJson(response, answer.status, answer.body, {clock: policy.clock, nonce: policy.nonce}, answer.headers);
	}

	const {server, origin, nonce: nonces} = await serveOnLoopback('startDPoPResourceServer', policy, cors, handle);
	const rest: Omit<DPoPResourceServer, keyof PolicyControls> = {
		origin,
		url: `${origin}/`,
		urlFor: path => `${origin}${path}`,
		stats,
		requests,
		setRedirect: (path, location) => rules.setRedirect(path, location),
		setChallenge: (path, rule) => rules.setChallenge(path, rule),
		cors,
		close: async () => closeServer(server),
	};
	return Object.assign(policyControls(policy, nonces), rest);
}
