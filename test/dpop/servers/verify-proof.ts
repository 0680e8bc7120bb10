import {createHash} from 'node:crypto';
import {
	calculateJwkThumbprint,
	decodeJwt,
	decodeProtectedHeader,
	EmbeddedJWK,
	errors,
	jwtVerify,
	type JWK,
	type JWTPayload,
	type ProtectedHeaderParameters,
} from 'jose';
import type {NonceSource} from './nonces.js';
import type {ReplayStore} from './replay-store.js';
import {normaliseHtu} from './request-url.js';

/** The asymmetric JWS algorithms the servers accept by default (RFC 9449 §4.3 step 5: no `none`, no MAC). */
export const defaultAlgorithms: readonly string[] = ['ES256', 'EdDSA', 'RS256', 'PS256'];

/** The iat window (seconds either side of the server's clock) when none is given. */
export const defaultIatWindowSeconds = 60;

/**
 * Why a proof was refused, one per check, in the order they run (RFC 9449 §4.3, then §11.1 for `jti`):
 * - `dpop-header-count`: not exactly one `DPoP` header (step 1);
 * - `malformed`: not a JWS compact serialisation with JSON header and claims (step 2);
 * - `missing-claim`: no `typ`, `alg` or object `jwk` in the header, or no string `jti`/`htm`/`htu`, number
 *   `iat`, or (with an access token) string `ath` in the claims (step 3);
 * - `typ`: `typ` is not `dpop+jwt` (step 4);
 * - `alg`: `alg` is not one of the accepted asymmetric algorithms (step 5);
 * - `private-jwk`: the `jwk` has private or symmetric members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`, `k`) (step 7, checked before the signature so it is reported as such);
 * - `jwk`: jose refused the embedded key (wrong key type for `alg`, `use` not `sig`, …);
 * - `signature`: the signature does not verify with the embedded key (step 6);
 * - `jwt-claims`: `exp`/`nbf` present and failing on the server's clock;
 * - `htm`: `htm` is not the request method (step 8);
 * - `htu`: `htu` is not the request URL without query and fragment (step 9);
 * - `nonce-missing` / `nonce-stale`: nonces are required and the proof has none / not the current one (step 10);
 * - `iat`: `iat` is outside the window around the server's clock (step 11);
 * - `replay`: this `jti` was already seen by this server (§11.1);
 * - `ath`: `ath` is not base64url(SHA-256(access token)) (step 12).
 */
export type ProofFailure =
	| 'dpop-header-count'
	| 'malformed'
	| 'missing-claim'
	| 'typ'
	| 'alg'
	| 'private-jwk'
	| 'jwk'
	| 'signature'
	| 'jwt-claims'
	| 'htm'
	| 'htu'
	| 'nonce-missing'
	| 'nonce-stale'
	| 'iat'
	| 'replay'
	| 'ath';

/** What a proof said, as far as it could be decoded (kept in the servers' request logs). */
export interface LoggedProof {
	readonly header: ProtectedHeaderParameters;
	readonly claims: JWTPayload;
	readonly htm: string | undefined;
	readonly htu: string | undefined;
	/** Seconds since the epoch, as the client wrote it. */
	readonly iat: number | undefined;
	readonly jti: string | undefined;
	readonly nonce: string | undefined;
	readonly ath: string | undefined;
	/** RFC 7638 SHA-256 thumbprint of the embedded key; set once the signature verified. */
	readonly jkt: string | undefined;
}

/** A proof that passed every check. */
export interface AcceptedProof extends LoggedProof {
	readonly htm: string;
	readonly htu: string;
	readonly iat: number;
	readonly jti: string;
	readonly jkt: string;
}

/** What the request must match, and the server state the checks use. */
export interface ProofExpectations {
	/** The request method. */
	readonly method: string;
	/** The request URL (query and fragment are ignored). */
	readonly url: string;
	/** The server's clock, in milliseconds. */
	readonly now: number;
	/** Seconds `iat` may be off the server's clock, either way. */
	readonly iatWindowSeconds: number;
	/** Accepted `alg` values. */
	readonly algorithms: readonly string[];
	/** The server's nonce when nonces are required, else `undefined`. */
	readonly nonce: NonceSource | undefined;
	/** The access token the request carries (checked against `ath`), absent at the token endpoint. */
	readonly accessToken: string | undefined;
	/** This server's `jti` store. */
	readonly replay: ReplayStore;
}

/** The outcome of {@link verifyProof}. `replayed` says whether a signature-valid proof reused a `jti`, whatever decided. */
export type ProofVerdict =
	| {readonly ok: true; readonly proof: AcceptedProof; readonly replayed: false}
	| {readonly ok: false; readonly reason: ProofFailure; readonly message: string; readonly proof: LoggedProof | undefined; readonly replayed: boolean};

const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** base64url(SHA-256(ASCII(token))): the `ath` a proof for `token` must carry (RFC 9449 §4.2). */
export function accessTokenHash(token: string): string {
	return createHash('sha256').update(token, 'ascii').digest('base64url');
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

function isJwk(value: unknown): value is JWK {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function logged(header: ProtectedHeaderParameters, claims: JWTPayload, jkt: string | undefined): LoggedProof {
	return {
		header,
		claims,
		htm: text(claims.htm),
		htu: text(claims.htu),
		iat: typeof claims.iat === 'number' ? claims.iat : undefined,
		jti: text(claims.jti),
		nonce: text(claims.nonce),
		ath: text(claims.ath),
		jkt,
	};
}

function missingClaim(header: ProtectedHeaderParameters, claims: JWTPayload, withToken: boolean): string | undefined {
	if (typeof header.typ !== 'string') return 'header typ';
	if (typeof header.alg !== 'string') return 'header alg';
	if (!isJwk(header.jwk)) return 'header jwk';
	if (typeof claims.jti !== 'string' || claims.jti === '') return 'jti';
	if (typeof claims.htm !== 'string') return 'htm';
	if (typeof claims.htu !== 'string') return 'htu';
	if (typeof claims.iat !== 'number') return 'iat';
	if (withToken && typeof claims.ath !== 'string') return 'ath';
	return undefined;
}

function failureOfJose(error: unknown): {reason: ProofFailure; message: string} {
	if (error instanceof errors.JWSSignatureVerificationFailed) return {reason: 'signature', message: 'signature does not verify with the embedded jwk'};
	if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
		return {reason: 'jwt-claims', message: `claims refused: ${error.message}`};
	}
	return {reason: 'jwk', message: `embedded jwk refused: ${error instanceof Error ? error.message : String(error)}`};
}

/**
 * Verifies one DPoP proof JWT against a request, in RFC 9449 §4.3 order, with jose (`jwtVerify` with
 * `EmbeddedJWK`, `calculateJwkThumbprint`). The `DPoP` header count (step 1) and the access token's
 * `cnf.jkt` binding (step 12, second half) are the caller's: they need the request and the token registry.
 * A signature-valid proof's `jti` is recorded in `replay` whatever the verdict.
 */
export async function verifyProof(jwt: string, expect: ProofExpectations): Promise<ProofVerdict> {
	let header: ProtectedHeaderParameters;
	let claims: JWTPayload;
	try {
		header = decodeProtectedHeader(jwt);
		claims = decodeJwt(jwt);
	} catch (error) {
		return {ok: false, reason: 'malformed', message: `not a JWT: ${error instanceof Error ? error.message : String(error)}`, proof: undefined, replayed: false};
	}
	const refuse = (reason: ProofFailure, message: string, jkt?: string, replayed = false): ProofVerdict => ({
		ok: false,
		reason,
		message,
		proof: logged(header, claims, jkt),
		replayed,
	});

	const missing = missingClaim(header, claims, expect.accessToken !== undefined);
	if (missing !== undefined) return refuse('missing-claim', `missing ${missing}`);
	const jwk = header.jwk;
	if (!isJwk(jwk)) return refuse('missing-claim', 'missing header jwk');
	if (header.typ?.toLowerCase() !== 'dpop+jwt') return refuse('typ', `typ is ${JSON.stringify(header.typ)}, expected "dpop+jwt"`);
	if (header.alg === undefined || !expect.algorithms.includes(header.alg)) {
		return refuse('alg', `alg ${JSON.stringify(header.alg)} is not one of ${expect.algorithms.join(', ')}`);
	}
	const present = privateMembers.filter(member => member in jwk);
	if (present.length > 0) return refuse('private-jwk', `jwk carries private or symmetric members (${present.join(', ')})`);

	try {
		await jwtVerify(jwt, EmbeddedJWK, {typ: 'dpop+jwt', algorithms: [...expect.algorithms], currentDate: new Date(expect.now)});
	} catch (error) {
		const failure = failureOfJose(error);
		return refuse(failure.reason, failure.message);
	}
	const jkt = await calculateJwkThumbprint(jwk, 'sha256');
	const jti = text(claims.jti) ?? '';
	const replayed = expect.replay.remember(jti);

	const {htm, htu, iat} = logged(header, claims, jkt);
	if (htm !== expect.method) return refuse('htm', `htm ${JSON.stringify(htm)} is not the request method ${expect.method}`, jkt, replayed);
	const claimed = normaliseHtu(htu ?? '');
	const actual = normaliseHtu(expect.url);
	if (claimed === undefined || claimed !== actual) return refuse('htu', `htu ${JSON.stringify(htu)} is not the request URL ${String(actual)}`, jkt, replayed);
	if (expect.nonce !== undefined) {
		const nonce = expect.nonce.check(claims.nonce);
		if (nonce === 'missing') return refuse('nonce-missing', 'a nonce is required', jkt, replayed);
		if (nonce === 'stale') return refuse('nonce-stale', 'the nonce is not the current one', jkt, replayed);
	}
	const skewSeconds = (iat ?? 0) - expect.now / 1000;
	if (!(Math.abs(skewSeconds) <= expect.iatWindowSeconds)) {
		return refuse('iat', `iat is ${Math.round(skewSeconds)} s off the server clock (window ±${expect.iatWindowSeconds} s)`, jkt, replayed);
	}
	if (replayed) return refuse('replay', 'jti was already used', jkt, replayed);
	if (expect.accessToken !== undefined && claims.ath !== accessTokenHash(expect.accessToken)) {
		return refuse('ath', 'ath is not the hash of the access token', jkt, replayed);
	}
	const proof = logged(header, claims, jkt);
	return {ok: true, proof: {...proof, htm: expect.method, htu: htu ?? '', iat: iat ?? 0, jti, jkt}, replayed: false};
}
