import {AuthHttpError, type AuthHttpErrorInit} from './auth-http-error.js';

/**
 * The server answered 403: the credentials are valid but lack permission. Thrown at once, never
 * refreshed or retried. Extends ky's `HTTPError`.
 *
 * @example
 * ```ts
 * try { await api.delete('admin/users/1'); }
 * catch (error) { if (error instanceof PermissionError) console.log('needs', error.requiredScopes); }
 * ```
 */
export class PermissionError extends AuthHttpError {
	/** Stable machine-readable reason. */
	readonly code = 'PERMISSION_DENIED';
	/** Scopes named by an `insufficient_scope` challenge (`[]` when none). */
	readonly requiredScopes: readonly string[];

	constructor(init: AuthHttpErrorInit) {
		super('PermissionError', init);
		const insufficient = this.challenges.find(challenge => challenge.params.error === 'insufficient_scope');
		this.requiredScopes = Object.freeze(insufficient?.params.scope?.split(' ').filter(Boolean) ?? []);
	}
}
