import {randomBytes} from 'node:crypto';

/** What the authorisation server knows about an access token it issued. */
export interface AccessTokenRecord {
	/** The subject (the client id for client_credentials, the user for refresh grants). */
	readonly sub: string;
	/** `cnf.jkt`: the RFC 7638 SHA-256 thumbprint of the key the token is bound to (RFC 9449 §6). */
	readonly jkt: string;
	/** When the token expires, in milliseconds on the issuing server's clock. */
	readonly expiresAt: number;
	readonly scope: string | undefined;
}

/** Looks an opaque access token up (what a resource server's introspection would do). */
export interface TokenValidator {
	/** The token's record, or `undefined` when it was never issued or was revoked. Expiry is the caller's check. */
	validate(token: string): AccessTokenRecord | undefined;
}

/** What is needed to issue an access token. */
export interface AccessTokenGrant {
	readonly sub: string;
	readonly jkt: string;
	readonly expiresAt: number;
	readonly scope?: string | undefined;
}

/** The access tokens shared by a token server (which issues them) and resource servers (which check them). */
export interface TokenRegistry extends TokenValidator {
	/** Issues an opaque access token (`dpop-at-…`) bound to `grant.jkt`. */
	issue(grant: AccessTokenGrant): string;
	/** Forgets `token`: it becomes unknown (`invalid_token`). */
	revoke(token: string): void;
	/** Makes every token issued so far expired (expiry at -Infinity). */
	expireAll(): void;
	/** How many access tokens were issued. */
	readonly issued: number;
}

/** An empty in-memory registry. */
export function createTokenRegistry(): TokenRegistry {
	const tokens = new Map<string, AccessTokenRecord>();
	let issued = 0;
	return {
		issue(grant: AccessTokenGrant) {
			const token = `dpop-at-${randomBytes(18).toString('base64url')}`;
			tokens.set(token, {sub: grant.sub, jkt: grant.jkt, expiresAt: grant.expiresAt, scope: grant.scope});
			issued++;
			return token;
		},
		validate: (token: string) => tokens.get(token),
		revoke(token: string) {
			tokens.delete(token);
		},
		expireAll() {
			for (const [token, record] of tokens) tokens.set(token, {...record, expiresAt: Number.NEGATIVE_INFINITY});
		},
		get issued() {
			return issued;
		},
	};
}
