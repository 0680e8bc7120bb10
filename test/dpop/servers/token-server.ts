import {type IncomingHttpHeaders, type IncomingMessage, type ServerResponse} from 'node:http';
import {identifyClient} from './client-auth.js';
import {dpopHeaders, readBody, sendJson} from './http-io.js';
import {createCorsState, type CorsState, type WithCorsOption} from './cors.js';
import {closeServer, serveOnLoopback} from './listen.js';
import {createProofPolicy, policyControls, type PolicyControls, type ProofPolicyOptions} from './proof-policy.js';
import {createRefreshTokens, type RefreshRefusal} from './refresh-tokens.js';
import {requestUrl} from './request-url.js';
import {countRejection, createStats, type ServerStats} from './stats.js';
import {createTokenRegistry, type AccessTokenRecord, type TokenRegistry} from './token-registry.js';
import {verifyProof, type LoggedProof, type ProofFailure} from './verify-proof.js';

/** Options of {@link startDPoPTokenServer}. */
export interface DPoPTokenServerOptions extends ProofPolicyOptions, WithCorsOption {
	/** Where issued access tokens go (share it with resource servers). A new one when absent. */
	readonly registry?: TokenRegistry;
	/** `expires_in` of issued access tokens, in seconds. Default 3600. */
	readonly accessTokenLifetimeSeconds?: number;
	/** Whether a refresh answers with a new refresh token and spends the old one. Default true. */
	readonly rotateRefreshTokens?: boolean;
	/** Registered confidential clients, id → secret (`client_secret_basic` or `_post`). Default: any client id is accepted. */
	readonly clients?: Readonly<Record<string, string>>;
}

/** The grant types the token endpoint serves. */
export type DPoPGrantType = 'client_credentials' | 'refresh_token';

/**
 * Why a token request was refused, beyond the proof's own {@link ProofFailure}s (answered 400
 * `invalid_dpop_proof`, or 400 `use_dpop_nonce` for `nonce-missing` / `nonce-stale`): `not-found` (404),
 * `invalid-request` (400: not a POST form), `invalid-client` (401), `unsupported-grant` (400),
 * `unauthorized-client` (400: client_credentials without a confidential client), or a {@link RefreshRefusal}
 * (400 `invalid_grant`).
 */
export type TokenRejection = ProofFailure | RefreshRefusal | 'not-found' | 'invalid-request' | 'invalid-client' | 'unsupported-grant' | 'unauthorized-client';

/** One call of the token endpoint. */
export interface TokenRequestRecord {
	/** The form's `grant_type`, as sent. */
	readonly grantType: string | undefined;
	/** The whole form (it includes the refresh token: for assertions such as the `claims` a refresh carried). */
	readonly params: URLSearchParams;
	readonly headers: IncomingHttpHeaders;
	readonly proof: LoggedProof | undefined;
	readonly status: number;
	/** `issued`, or the rejection reason. */
	readonly outcome: 'issued' | TokenRejection;
}

/** Counters of the token server. */
export interface TokenServerStats extends ServerStats {
	/** Token-endpoint calls per `grant_type` (every call, whatever its outcome, nonce challenges included). */
	readonly grantRequests: Record<DPoPGrantType, number>;
	/** Tokens issued per grant type. */
	readonly grants: Record<DPoPGrantType, number>;
	/** Spent refresh tokens presented again (each revokes its family). */
	reuse: number;
}

/** A running DPoP token endpoint. */
export interface DPoPTokenServer extends PolicyControls {
	/** `http://127.0.0.1:<port>` */
	readonly origin: string;
	/** `${origin}/token` */
	readonly tokenEndpoint: string;
	/** The access tokens it issues (give it to resource servers). */
	readonly registry: TokenRegistry;
	readonly stats: TokenServerStats;
	readonly requests: readonly TokenRequestRecord[];
	/** `registry.validate`: what a resource server needs. */
	validate(token: string): AccessTokenRecord | undefined;
	/** A refresh token for `sub`, bound to `jkt`, or (without `jkt`) to the key of the first proof that uses it. */
	issueRefreshToken(input: {sub: string; jkt?: string; scope?: string}): string;
	/** An access token bound to `jkt`, valid `expiresInSeconds` (default: the server's lifetime) on the server's clock. */
	issueAccessToken(input: {sub: string; jkt: string; expiresInSeconds?: number; scope?: string}): string;
	/** Every access token issued so far expires (the resource server answers `invalid_token`). */
	expireAccessTokens(): void;
	/** The CORS state (change the exposed headers while it runs), `undefined` without the `cors` option. */
	readonly cors: CorsState | undefined;
	close(): Promise<void>;
}

interface Outcome {
	readonly status: number;
	readonly outcome: TokenRequestRecord['outcome'];
	readonly body: unknown;
	readonly proof?: LoggedProof;
	readonly headers?: Readonly<Record<string, string>>;
}

const refused = (status: number, outcome: TokenRejection, error: string, description: string, proof?: LoggedProof): Outcome => ({
	status,
	outcome,
	body: {error, error_description: description},
	...(proof === undefined ? {} : {proof}),
});

function isGrantType(value: string | undefined): value is DPoPGrantType {
	return value === 'client_credentials' || value === 'refresh_token';
}

/**
 * Starts an OAuth token endpoint on 127.0.0.1 (ephemeral port) at `/token` that requires a DPoP proof on
 * every call (RFC 9449 §5: the checks of {@link verifyProof} without `ath`; 400 `invalid_dpop_proof`, or
 * with `requireNonce` 400 `{"error":"use_dpop_nonce"}` plus `DPoP-Nonce`, §8) and serves `client_credentials`
 * and `refresh_token`: opaque access tokens bound to the proof key (`token_type: "DPoP"`, `expires_in`),
 * refresh tokens bound to the key, rotated, with reuse detection. A nonce challenge never spends a refresh token.
 */
export async function startDPoPTokenServer(options: DPoPTokenServerOptions = {}): Promise<DPoPTokenServer> {
	const policy = createProofPolicy('startDPoPTokenServer', options);
	const cors = createCorsState('startDPoPTokenServer', options.cors);
	const lifetime = options.accessTokenLifetimeSeconds ?? 3600;
	if (typeof lifetime !== 'number' || !(lifetime > 0)) {
		throw new TypeError(`startDPoPTokenServer: options.accessTokenLifetimeSeconds: expected a positive number, got ${String(lifetime)}`);
	}
	const rotate = options.rotateRefreshTokens ?? true;
	const registry = options.registry ?? createTokenRegistry();
	const refreshTokens = createRefreshTokens();
	const requests: TokenRequestRecord[] = [];
	const stats: TokenServerStats = Object.assign(createStats(policy.replay), {
		grantRequests: {client_credentials: 0, refresh_token: 0},
		grants: {client_credentials: 0, refresh_token: 0},
		reuse: 0,
	});

	const issueAccessToken = (input: {sub: string; jkt: string; expiresInSeconds?: number; scope?: string | undefined}): string =>
		registry.issue({sub: input.sub, jkt: input.jkt, scope: input.scope, expiresAt: policy.clock.now() + (input.expiresInSeconds ?? lifetime) * 1000});

	async function decide(request: IncomingMessage, url: string | undefined, form: URLSearchParams): Promise<Outcome> {
		if (url === undefined || new URL(url).pathname !== '/token') return refused(404, 'not-found', 'not_found', 'the token endpoint is /token');
		if (request.method !== 'POST' || request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() !== 'application/x-www-form-urlencoded') {
			return refused(400, 'invalid-request', 'invalid_request', 'POST an application/x-www-form-urlencoded form');
		}
		const proofs = dpopHeaders(request);
		if (proofs.length !== 1) return refused(400, 'dpop-header-count', 'invalid_dpop_proof', `expected one DPoP header, got ${proofs.length}`);
		const verdict = await verifyProof(proofs[0] ?? '', {
			method: 'POST',
			url,
			now: policy.clock.now(),
			iatWindowSeconds: policy.iatWindowSeconds,
			algorithms: policy.algorithms,
			nonce: policy.nonce,
			accessToken: undefined,
			replay: policy.replay,
		});
		if (verdict.replayed) stats.replays++;
		if (!verdict.ok) {
			const nonceError = verdict.reason === 'nonce-missing' || verdict.reason === 'nonce-stale';
			return refused(400, verdict.reason, nonceError ? 'use_dpop_nonce' : 'invalid_dpop_proof', verdict.message, verdict.proof);
		}
		const proof = verdict.proof;
		const client = identifyClient(request, form, options.clients);
		if (!client.ok) return {...refused(401, 'invalid-client', 'invalid_client', client.message, proof), headers: {'www-authenticate': 'Basic realm="token"'}};
		const grantType = form.get('grant_type') ?? undefined;
		if (!isGrantType(grantType)) return refused(400, 'unsupported-grant', 'unsupported_grant_type', `grant_type ${JSON.stringify(grantType)}`, proof);

		if (grantType === 'client_credentials') {
			if (!client.confidential || client.clientId === undefined) return refused(400, 'unauthorized-client', 'unauthorized_client', 'client_credentials needs a confidential client', proof);
			const scope = form.get('scope') ?? undefined;
			const accessToken = issueAccessToken({sub: client.clientId, jkt: proof.jkt, scope});
			stats.grants.client_credentials++;
			return {status: 200, outcome: 'issued', proof, body: {access_token: accessToken, token_type: 'DPoP', expires_in: lifetime, ...(scope === undefined ? {} : {scope})}};
		}
		const redemption = refreshTokens.redeem(form.get('refresh_token') ?? '', proof.jkt, rotate);
		if (!redemption.ok && redemption.reason === 'refresh-reuse') stats.reuse++;
		if (!redemption.ok) return refused(400, redemption.reason, 'invalid_grant', `refresh token refused (${redemption.reason})`, proof);
		const {record} = redemption;
		const scope = form.get('scope') ?? record.scope;
		const accessToken = issueAccessToken({sub: record.sub, jkt: proof.jkt, scope});
		const refreshToken = rotate ? refreshTokens.issue({sub: record.sub, jkt: proof.jkt, scope: record.scope, family: record.family}) : undefined;
		stats.grants.refresh_token++;
		return {
			status: 200,
			outcome: 'issued',
			proof,
			body: {
				access_token: accessToken,
				token_type: 'DPoP',
				expires_in: lifetime,
				...(refreshToken === undefined ? {} : {refresh_token: refreshToken}),
				...(scope === undefined ? {} : {scope}),
			},
		};
	}

	async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		stats.requests++;
		const form = new URLSearchParams(await readBody(request));
		const grantType = form.get('grant_type') ?? undefined;
		if (isGrantType(grantType)) stats.grantRequests[grantType]++;
		const answer = await decide(request, requestUrl(request, 'http'), form);
		if (answer.outcome === 'issued') stats.accepted++;
		else countRejection(stats, answer.outcome);
		requests.push({grantType, params: form, headers: request.headers, proof: answer.proof, status: answer.status, outcome: answer.outcome});
		sendJson(response, answer.status, answer.body, {clock: policy.clock, nonce: policy.nonce}, answer.headers);
	}

	const {server, origin, nonce: nonces} = await serveOnLoopback('startDPoPTokenServer', policy, cors, handle);
	const rest: Omit<DPoPTokenServer, keyof PolicyControls> = {
		origin,
		tokenEndpoint: `${origin}/token`,
		registry,
		stats,
		requests,
		validate: token => registry.validate(token),
		issueRefreshToken: input => refreshTokens.issue({sub: input.sub, jkt: input.jkt, scope: input.scope}),
		issueAccessToken,
		expireAccessTokens: () => registry.expireAll(),
		cors,
		close: async () => closeServer(server),
	};
	return Object.assign(policyControls(policy, nonces), rest);
}
