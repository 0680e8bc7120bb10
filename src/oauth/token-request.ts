import {
	allowInsecureRequests,
	clientCredentialsGrantRequest,
	customFetch,
	processClientCredentialsResponse,
	processRefreshTokenResponse,
	refreshTokenGrantRequest,
	type ClientCredentialsGrantRequestOptions,
	type CustomFetchOptions,
	type TokenEndpointResponse,
} from 'oauth4webapi';
import {redactError} from '../redact/redact.js';
import {RefreshError} from '../errors/refresh-error.js';
import type {TokenSet} from '../types/tokens.js';
import {isRecord} from '../utils/validate.js';
import type {TokenEndpointConfig} from './config.js';
import type {Located} from './discovery.js';
import {answerFailure, isUnavailable, requestFailure, statusFailure, type Answer, type InvalidGrantMeaning} from './failure.js';
import {withoutIdToken} from './id-token.js';
import {issuedTokens} from './issued-tokens.js';
import {requestSecrets, responseSecrets} from './secrets.js';
import {tokenSetOf} from './token-response.js';

/**
 * The grant of one token request. A `refresh_token` grant spends `refreshToken`, and hands the tokens of a 200
 * that rotated it to `keep` (`RefreshContext.keep`) before anything checks the answer.
 */
export type Grant =
	| {readonly type: 'client_credentials'}
	| {readonly type: 'refresh_token'; readonly refreshToken: string; readonly keep: ((tokens: TokenSet) => void) | undefined};

/** One token request in flight: when it was sent, and every secret it carried. */
interface Attempt {
	sentAt: number | undefined;
	readonly secrets: string[];
}

async function readJson(response: Response): Promise<unknown> {
	try {
		return JSON.parse(await response.text()) as unknown;
	} catch {
		return undefined;
	}
}

async function discard(response: Response): Promise<void> {
	try {
		await response.body?.cancel();
	} catch {
		// Nothing to release.
	}
}

async function send(config: TokenEndpointConfig & Located, grant: Grant, attempt: Attempt, signal: AbortSignal): Promise<Response> {
	const {dpop} = config;
	const options: ClientCredentialsGrantRequestOptions = {
		signal,
		// The clock is read right before the request leaves, after the client assertion and the DPoP proof are signed.
		[customFetch]: async (url: string, init: CustomFetchOptions<'POST', URLSearchParams>) => {
			attempt.secrets.push(...requestSecrets(init));
			// init.redirect is 'manual' and stays so: a token request never follows a redirect.
			const headers = dpop === undefined ? init.headers : {...init.headers, dpop: await dpop.proof({method: 'POST', url})};
			attempt.sentAt = config.now();
			const response = await (config.fetch ?? globalThis.fetch)(url, {...init, headers});
			// Every answer's DPoP-Nonce and Date, an error's too: the next proof needs them.
			dpop?.observe(response, url, 'authorization-server');
			return response;
		},
		[allowInsecureRequests]: config.allowInsecureRequests,
	};
	const parameters = new URLSearchParams(config.parameters.map(([name, value]) => [name, value]));
	const {server, client, authentication} = config;
	return grant.type === 'refresh_token'
		? refreshTokenGrantRequest(server, client, authentication.apply, grant.refreshToken, {...options, additionalParameters: parameters})
		: clientCredentialsGrantRequest(server, client, authentication.apply, parameters, options);
}

async function sendOrFail(config: TokenEndpointConfig & Located, grant: Grant, attempt: Attempt, signal: AbortSignal): Promise<Response> {
	try {
		return await send(config, grant, attempt, signal);
	} catch (error) {
		throw requestFailure(error, {sent: attempt.sentAt !== undefined, aborted: signal.aborted, endpoint: config.endpoint, secrets: attempt.secrets});
	}
}

/** The errors a new proof can cure: RFC 9449 §8's nonce demand, and a proof refused (most often for its `iat`). */
const proofErrors: ReadonlySet<unknown> = new Set(['use_dpop_nonce', 'invalid_dpop_proof']);

/**
 * Whether the authorization server refused the proof in a way the next proof can cure: `use_dpop_nonce` (the
 * nonce came in `DPoP-Nonce`) or `invalid_dpop_proof` (its `Date` has just corrected the clock offset, when
 * the token endpoint is the first server heard from and its clock is off).
 */
async function isProofDemand(response: Response): Promise<boolean> {
	if (response.status !== 400) {
		return false;
	}
	const body = await readJson(response.clone());
	return isRecord(body) && proofErrors.has(body.error);
}

async function processResponse(config: TokenEndpointConfig & Located, grant: Grant, response: Response): Promise<TokenEndpointResponse> {
	const {server, client} = config;
	return grant.type === 'refresh_token' ? processRefreshTokenResponse(server, client, response) : processClientCredentialsResponse(server, client, response);
}

/**
 * Sends one token request through oauth4webapi and maps its outcome: the new tokens; `null` when an
 * `invalid_grant` means the sign-in is over (`invalidGrant: 'signed-out'`); otherwise throws a
 * `ConfigurationError` (the client is refused) or a `RefreshError` `REFRESH_FAILED` (transient). Nothing thrown
 * holds the client secret, the refresh token, the client assertion or a token of the response.
 */
export async function requestTokens(configured: TokenEndpointConfig, grant: Grant, signal: AbortSignal, invalidGrant: InvalidGrantMeaning): Promise<TokenSet | null> {
	// The token endpoint, discovered from the issuer when it was not configured: nothing is spent before it is known.
	const located = configured.locate(signal);
	const config = {...configured, ...(located instanceof Promise ? await located : located)};
	const attempt: Attempt = {sentAt: undefined, secrets: [...config.authentication.secrets]};
	if (grant.type === 'refresh_token') {
		attempt.secrets.push(grant.refreshToken);
	}
	let response = await sendOrFail(config, grant, attempt, signal);
	if (config.dpop !== undefined && await isProofDemand(response)) {
		// Sent again once, whole: a new proof with the nonce and clock offset (observed already), a new client
		// assertion. A second refusal is an answer like any other error (REFRESH_FAILED), never a loop.
		await discard(response);
		attempt.sentAt = undefined;
		response = await sendOrFail(config, grant, attempt, signal);
	}
	const sentAt = attempt.sentAt ?? config.now();
	const answer = (body: unknown): Answer => ({response, body, endpoint: config.endpoint, secrets: attempt.secrets, now: config.now()});
	// An overloaded or failing server's body is read for its OAuth error only (`temporarily_unavailable`).
	const failure = statusFailure(answer(isUnavailable(response) ? await readJson(response.clone()) : undefined));
	if (failure !== undefined) {
		await discard(response);
		throw failure;
	}
	const json = await readJson(response.clone());
	attempt.secrets.push(...responseSecrets(json));
	const unkept = grant.type === 'refresh_token' && response.status === 200 ? keepIssued(grant.keep, json, answer(json)) : undefined;
	if (unkept !== undefined) {
		await discard(response);
		throw unkept;
	}
	const checked = config.checksIdTokens ? response : withoutIdToken(response, json);
	if (checked !== response) {
		await discard(response);
	}
	let body: TokenEndpointResponse;
	try {
		body = await processResponse(config, grant, checked);
	} catch (error) {
		const outcome = answerFailure(error, answer(json), invalidGrant);
		if (outcome === null) {
			return null;
		}
		throw outcome;
	}
	return tokenSetOf(body, sentAt, config.dpop !== undefined);
}

/**
 * Hands the tokens a 200 has issued to `keep` before the answer is checked: the server rotated the refresh
 * token, so the new one is the only one that works, whatever oauth4webapi's checks (an ID token's, the token
 * type's) make of the answer. Returns the failure when the session cannot hold them (an access token no header
 * can carry), with nothing of them in its message.
 */
function keepIssued(keep: ((tokens: TokenSet) => void) | undefined, json: unknown, answer: Answer): RefreshError | undefined {
	const issued = issuedTokens(json);
	if (keep === undefined || issued === undefined) {
		return undefined;
	}
	try {
		keep(issued);
		return undefined;
	} catch (error) {
		return new RefreshError('REFRESH_FAILED', {cause: redactError(error, answer.secrets), detail: `the token endpoint answered HTTP ${answer.response.status} with tokens a session cannot hold`});
	}
}
