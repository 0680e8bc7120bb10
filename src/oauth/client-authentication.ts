import {dev} from '../utils/dev.js';
import {ClientSecretBasic, ClientSecretPost, None, PrivateKeyJwt, type ClientAuth} from 'oauth4webapi';
import {invalid, isRecord} from '../utils/validate.js';

/** A token endpoint authentication method (the `token_endpoint_auth_method` of RFC 7591), as {@link ClientAuthentication.method}. */
export type ClientAuthenticationMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

/**
 * How the client proves who it is to the token endpoint: made by {@link clientSecretBasic},
 * {@link clientSecretPost}, {@link privateKeyJwt} or {@link none}. Opaque: the secret or key it holds cannot be
 * read from it, and `util.inspect` or `JSON.stringify` show only the method.
 *
 * @example
 * ```ts
 * const authentication: ClientAuthentication = clientSecretBasic(process.env.CLIENT_SECRET ?? '');
 * authentication.method; // 'client_secret_basic'
 * ```
 */
export interface ClientAuthentication {
	/** The method, as registered for the client at the authorization server. */
	readonly method: ClientAuthenticationMethod;
}

/** What a {@link ClientAuthentication} holds, out of sight. */
export interface ClientAuthenticationInternals {
	/** oauth4webapi's authentication, applied to each token request. */
	readonly apply: ClientAuth;
	/** The secrets to remove from any error: the client secret. */
	readonly secrets: readonly string[];
}

const internals = new WeakMap<object, ClientAuthenticationInternals>();

function create(method: ClientAuthenticationMethod, apply: ClientAuth, secrets: readonly string[] = []): ClientAuthentication {
	const authentication: ClientAuthentication = Object.freeze({method});
	internals.set(authentication, {apply, secrets});
	return authentication;
}

/** The internals of `value` when it is a {@link ClientAuthentication} made by this module, else `undefined`. */
export function clientAuthenticationInternals(value: unknown): ClientAuthenticationInternals | undefined {
	return isRecord(value) ? internals.get(value) : undefined;
}

function secretOf(where: string, value: unknown): string {
	if (typeof value !== 'string' || value === '') {
		invalid(where, dev ? 'the client secret, a non-empty string' : '', value);
	}
	return value;
}

/**
 * `client_secret_basic`: the client id and secret in an HTTP Basic `Authorization` header, each
 * form-encoded before base64 as RFC 6749 §2.3.1 requires (so an id or secret with `:`, `%`, `+`, a space or
 * non-ASCII characters arrives intact). The method servers assume when none was registered.
 *
 * @param clientSecret The client secret (never shown in an error or a log).
 * @throws TypeError when `clientSecret` is not a non-empty string.
 *
 * @example
 * ```ts
 * const authentication = clientSecretBasic(process.env.CLIENT_SECRET ?? '');
 * ```
 */
export function clientSecretBasic(clientSecret: string): ClientAuthentication {
	const secret = secretOf('clientSecretBasic: clientSecret', clientSecret);
	return create('client_secret_basic', ClientSecretBasic(secret), [secret]);
}

/**
 * `client_secret_post`: the client id and secret as `client_id` and `client_secret` in the form body.
 *
 * @param clientSecret The client secret (never shown in an error or a log).
 * @throws TypeError when `clientSecret` is not a non-empty string.
 *
 * @example
 * ```ts
 * const authentication = clientSecretPost(process.env.CLIENT_SECRET ?? '');
 * ```
 */
export function clientSecretPost(clientSecret: string): ClientAuthentication {
	const secret = secretOf('clientSecretPost: clientSecret', clientSecret);
	return create('client_secret_post', ClientSecretPost(secret), [secret]);
}

/** Options of {@link privateKeyJwt}. */
export interface PrivateKeyJwtOptions {
	/** The key id (`kid`) put in the assertion's header, for an authorization server that holds several of the client's keys. */
	kid?: string | undefined;
}

/** The Web Crypto algorithms oauth4webapi signs client assertions with. */
const signingAlgorithms = new Set(['RSA-PSS', 'RSASSA-PKCS1-v1_5', 'ECDSA', 'Ed25519', 'EdDSA', 'ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']);

function isCryptoKey(value: unknown): value is CryptoKey {
	return typeof CryptoKey === 'function' && value instanceof CryptoKey;
}

/**
 * `private_key_jwt` (RFC 7523): each token request carries a fresh assertion, a JWT signed with the client's
 * private key (`iss` and `sub` are the client id, `aud` the authorization server's issuer, valid 60 seconds,
 * with a unique `jti`). No secret travels; the server holds the public key.
 *
 * @param privateKey A private Web Crypto key that can `sign`: RSA (RSASSA-PKCS1-v1_5 or RSA-PSS), ECDSA, Ed25519 or ML-DSA.
 * @throws TypeError when `privateKey` is not such a key, or `options.kid` is not a non-empty string.
 *
 * @example
 * ```ts
 * declare const pkcs8: ArrayBuffer; // the client's private key, PKCS #8 DER
 * const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
 * const authentication = privateKeyJwt(privateKey, { kid: 'key-2026' });
 * ```
 */
export function privateKeyJwt(privateKey: CryptoKey, options?: PrivateKeyJwtOptions): ClientAuthentication {
	const where = 'privateKeyJwt';
	if (!isCryptoKey(privateKey)) {
		invalid(`${where}: privateKey`, 'a CryptoKey', privateKey);
	}
	if (privateKey.type !== 'private') {
		throw new TypeError(`${where}: privateKey: expected a private CryptoKey, got a ${privateKey.type} key`);
	}
	if (!privateKey.usages.includes('sign')) {
		throw new TypeError(`${where}: privateKey: expected a CryptoKey whose usages include "sign", got usages ${JSON.stringify(privateKey.usages)}`);
	}
	if (!signingAlgorithms.has(privateKey.algorithm.name)) {
		throw new TypeError(`${where}: privateKey: expected a key for one of ${[...signingAlgorithms].join(', ')}, got a ${privateKey.algorithm.name} key`);
	}
	if (options !== undefined && !isRecord(options)) {
		invalid(`${where}: options`, dev ? 'an object with an optional kid' : '', options);
	}
	const kid: unknown = options?.kid;
	if (kid !== undefined && (typeof kid !== 'string' || kid === '')) {
		invalid(`${where}: options.kid`, dev ? 'a non-empty string' : '', kid);
	}
	return create('private_key_jwt', PrivateKeyJwt(kid === undefined ? privateKey : {key: privateKey, kid}));
}

/**
 * `none`: a public client (a browser or mobile app) that has no secret sends only its `client_id`. Valid for the
 * refresh_token grant; the client_credentials grant needs a confidential client.
 *
 * @example
 * ```ts
 * const authentication = none();
 * ```
 */
export function none(): ClientAuthentication {
	return create('none', None());
}
