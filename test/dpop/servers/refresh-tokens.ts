import {randomBytes} from 'node:crypto';

/** What the token server keeps about one refresh token. */
export interface RefreshTokenRecord {
	readonly sub: string;
	/** The key thumbprint the token is bound to; `undefined` until first used (a seeded token binds on first use). */
	readonly jkt: string | undefined;
	readonly scope: string | undefined;
	/** Tokens rotated from one another share a family; a reuse revokes the family. */
	readonly family: string;
}

/** Why a refresh token was not accepted. */
export type RefreshRefusal = 'refresh-unknown' | 'refresh-reuse' | 'refresh-revoked' | 'refresh-key-mismatch';

/** The outcome of {@link RefreshTokens.redeem}. */
export type Redemption = {readonly ok: true; readonly record: RefreshTokenRecord} | {readonly ok: false; readonly reason: RefreshRefusal};

/**
 * Refresh tokens with rotation and reuse detection (OAuth 2.0 Security BCP, RFC 9700 §4.14.2): presenting
 * a spent token is a reuse (`refresh-reuse`) and revokes its whole family (the successor too). A token is
 * bound to the key of the proof it was issued with (RFC 9449 §5); presenting it with another key is refused
 * and does not spend it.
 */
export interface RefreshTokens {
	/** A new token for `record` (a new family unless `record.family` is given). */
	issue(record: {sub: string; jkt: string | undefined; scope: string | undefined; family?: string}): string;
	/** Checks `token` for a proof made with `jkt`; spends it when `spend` (rotation) and it is accepted. */
	redeem(token: string, jkt: string, spend: boolean): Redemption;
}

/** An empty in-memory refresh-token store. */
export function createRefreshTokens(): RefreshTokens {
	const tokens = new Map<string, RefreshTokenRecord>();
	const spent = new Set<string>();
	const revokedFamilies = new Set<string>();
	return {
		issue(record) {
			const token = `dpop-rt-${randomBytes(18).toString('base64url')}`;
			tokens.set(token, {sub: record.sub, jkt: record.jkt, scope: record.scope, family: record.family ?? randomBytes(9).toString('base64url')});
			return token;
		},
		redeem(token, jkt, spend) {
			const record = tokens.get(token);
			if (record === undefined) return {ok: false, reason: 'refresh-unknown'};
			if (spent.has(token)) {
				revokedFamilies.add(record.family);
				return {ok: false, reason: 'refresh-reuse'};
			}
			if (revokedFamilies.has(record.family)) return {ok: false, reason: 'refresh-revoked'};
			if (record.jkt !== undefined && record.jkt !== jkt) return {ok: false, reason: 'refresh-key-mismatch'};
			if (spend) spent.add(token);
			return {ok: true, record: {...record, jkt}};
		},
	};
}
