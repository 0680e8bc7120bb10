import {dev} from '../../utils/dev.js';
import type {Challenge} from '../../challenge/challenge.js';
import type {DPoPProofInput, DPoPProofs, DPoPServerRole} from '../../types/dpop.js';
import type {CredentialScheme, SchemeAttempt, SchemeCredentials, SchemeVerdict} from '../../types/scheme.js';
import {describeValue} from '../../utils/describe.js';
import {invalid, isRecord} from '../../utils/validate.js';
import {generateDPoPKeyPair} from './algorithms.js';
import {htuOf} from './htu.js';
import {dpopKeyOf, type DPoPKey} from './key-pair.js';
import {NonceCache} from './nonces.js';
import {readDPoPOptions, type DPoPOptions, type KeySource} from './options.js';
import {signProof} from './proof.js';
import {ServerClock} from './server-clock.js';
import {signingKeyOf, type SigningKey} from './signing-key.js';
import {dpopVerdict} from './verdict.js';

/**
 * The DPoP credential scheme (RFC 9449), made by {@link dpop}: a {@link CredentialScheme} for resource
 * requests and the {@link DPoPProofs} that `ky-auth/oauth`'s grants take, sharing one key pair, one nonce
 * cache and one clock estimate.
 */
export interface DPoPScheme extends CredentialScheme, DPoPProofs {
	/** `DPoP`. */
	readonly name: 'DPoP';
	/** Sends the session's access token: a 401 with `invalid_token` is cured by a refresh. */
	readonly usesSession: true;
	/** `Authorization` (`DPoP <token>`) and `DPoP` (the proof). */
	readonly headers: readonly ['authorization', 'dpop'];
	/** Each redirect hop gets its own proof (its `htu`), decided by ky-auth, never forwarded by the platform. */
	readonly perHop: true;
	/**
	 * Keeps the response's `DPoP-Nonce` (per origin and role: the authorization server's for a URL a proof without
	 * an access token was made for, or when `role` says so; else a resource server's) and its `Date` (the
	 * server's clock); call it with every response.
	 */
	observe(response: Response, url: string, role?: DPoPServerRole): void;
}

/** The methods fetch normalises to upper case (Fetch standard, "normalize a method"); others go out as written. */
const normalisedMethods = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
/** An HTTP method is a token (RFC 9110 §9.1). */
const methodSyntax = /^[!#$%&'*+.^`|~\w-]+$/;

function htmOf(where: string, method: unknown): string {
	if (typeof method !== 'string' || !methodSyntax.test(method)) {
		invalid(where, dev ? 'an HTTP method (a token such as GET or POST)' : '', method);
	}
	const upper = method.toUpperCase();
	return normalisedMethods.has(upper) ? upper : method;
}

async function loadKey(source: KeySource): Promise<DPoPKey> {
	if (source.kind === 'fixed') {
		return source.key;
	}
	const stored = await source.keys.load();
	if (stored !== undefined) {
		return dpopKeyOf('dpop: the key pair options.keys.load() returned', stored);
	}
	const saved = await source.keys.save(await generateDPoPKeyPair(source.algorithm));
	return dpopKeyOf('dpop: the key pair options.keys.save() returned', saved);
}

/** `DPoP` (case-insensitive) or no type: a DPoP-bound token; `Bearer`: the server did not bind it (RFC 9449 §5). */
function bindingOf(tokenType: string | undefined): 'dpop' | 'bearer' {
	const type = tokenType?.toLowerCase() ?? '';
	if (type === '' || type === 'dpop') {
		return 'dpop';
	}
	if (type === 'bearer') {
		return 'bearer';
	}
	throw new TypeError(`dpop: expected a token of type DPoP or Bearer, got one of type ${describeValue(tokenType)}`);
}

/**
 * The DPoP credential scheme (RFC 9449): each request carries `Authorization: DPoP <token>` and a fresh
 * `DPoP` proof, a JWT signed with a key pair that never leaves Web Crypto, which binds the token to this
 * client: a stolen token is useless without the key.
 *
 * - Proofs: `htm`, `htu` (the URL without query and fragment, normalised), `iat`, a fresh `jti` for every
 *   attempt and every redirect hop, `ath` (the token's hash), and the origin's last `DPoP-Nonce` if it sent one.
 * - Keys: generated on the first proof (once per instance, however many requests start together), ES256 by
 *   default, the private key non-extractable; kept in IndexedDB in browsers, in memory elsewhere (see `keys`).
 * - Nonces and clock: every response's `DPoP-Nonce` is kept per origin, and its `Date` corrects `iat` for a
 *   client clock that is off (see `clockOffset`).
 * - 401s: `use_dpop_nonce` and `invalid_dpop_proof` are retried once without a refresh (the nonce or the clock
 *   came with the 401); `insufficient_user_authentication` is final; `invalid_token` and the rest refresh once.
 * - A token the authorization server issued as `Bearer` (it did not bind it) is sent as `Bearer`, with no proof.
 *
 * Pass the same object as the `dpop` option of `ky-auth/oauth`'s grants, so the token endpoint binds the
 * tokens to this key.
 *
 * Needs `jose` (an optional peer dependency of `ky-auth/dpop`): `npm install jose`.
 *
 * @throws TypeError at once when an option is invalid.
 *
 * @example
 * ```ts
 * import { createAuthSession } from 'ky-auth';
 * import { dpop } from 'ky-auth/dpop';
 * import { none, refreshTokenGrant } from 'ky-auth/oauth';
 *
 * const scheme = dpop();
 * const session = createAuthSession({
 * 	refresh: refreshTokenGrant({
 * 		tokenEndpoint: 'https://auth.example.com/oauth/token',
 * 		clientId: 'web-app',
 * 		clientAuthentication: none(),
 * 		dpop: scheme,
 * 	}),
 * });
 * console.log(await scheme.thumbprint()); // the key's dpop_jkt
 * ```
 */
export function dpop(options?: DPoPOptions): DPoPScheme {
	const settings = readDPoPOptions(options);
	const nonces = new NonceCache();
	/** The `htu`s proofs without an access token were made for: token endpoints, whose answers carry the authorization server's nonce. */
	const authorizationServers = new Set<string>();
	const roleOf = (url: string): DPoPServerRole => {
		try {
			return authorizationServers.has(htuOf('dpop: observe(response, url)', url)) ? 'authorization-server' : 'resource-server';
		} catch {
			return 'resource-server';
		}
	};
	const clock = new ServerClock();
	let key: Promise<SigningKey> | undefined;

	const signingKey = (): Promise<SigningKey> => {
		key ??= loadKey(settings.source).then(signingKeyOf).catch((error: unknown) => {
			// A store that failed (IndexedDB unavailable for a moment) is asked again by the next proof.
			key = undefined;
			throw error;
		});
		return key;
	};

	const proof = async (input: DPoPProofInput): Promise<string> => {
		if (!isRecord(input)) {
			invalid('dpop: proof(input)', dev ? 'an object with method, url and an optional accessToken' : '', input);
		}
		const htm = htmOf('dpop: proof(input): input.method', input.method);
		const htu = htuOf('dpop: proof(input): input.url', input.url);
		const accessToken: unknown = input.accessToken;
		if (accessToken !== undefined && (typeof accessToken !== 'string' || accessToken === '')) {
			// describeValue shows only the kind and length of a long string: a token never lands in a message.
			invalid('dpop: proof(input): input.accessToken', dev ? 'a non-empty string or undefined' : '', accessToken);
		}
		const origin = new URL(htu).origin;
		if (accessToken === undefined) {
			authorizationServers.add(htu);
		}
		const signer = await signingKey();
		const offset = settings.clockOffset ? clock.offset(origin) : 0;
		return signProof(signer, {htm, htu, iat: Math.floor((Date.now() + offset) / 1000), accessToken, nonce: nonces.get(origin, accessToken === undefined ? 'authorization-server' : 'resource-server')});
	};

	const credentials = async ({method, url, grant}: SchemeAttempt): Promise<SchemeCredentials> => {
		if (grant === undefined) {
			return {headers: []};
		}
		if (bindingOf(grant.tokenType) === 'bearer') {
			return {headers: [['authorization', `Bearer ${grant.token}`]]};
		}
		const dpopProof = await proof({method, url, accessToken: grant.token});
		return {headers: [['authorization', `DPoP ${grant.token}`], ['dpop', dpopProof]]};
	};

	const observe = (response: Response, url: string, role?: DPoPServerRole): void => {
		nonces.observe(response, url, role === 'authorization-server' || role === 'resource-server' ? role : roleOf(url));
		if (settings.clockOffset) {
			clock.observe(response, url);
		}
	};

	return Object.freeze({
		name: 'DPoP',
		usesSession: true,
		headers: Object.freeze(['authorization', 'dpop'] as const),
		perHop: true,
		credentials,
		observe,
		rejected: (_response: Response, challenges: readonly Challenge[]): SchemeVerdict => dpopVerdict(challenges),
		proof,
		thumbprint: async () => (await signingKey()).thumbprint,
	});
}
