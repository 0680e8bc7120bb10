// ky-auth/oauth: `refresh` functions for OAuth 2.0 token endpoints, built on oauth4webapi (an optional peer
// dependency of this entry only).
export {clientCredentials} from './client-credentials.js';
export {refreshTokenGrant} from './refresh-token-grant.js';
export {revokeOnSignOut} from './revoke-on-sign-out.js';
export {
	clientSecretBasic,
	clientSecretPost,
	privateKeyJwt,
	none,
	type ClientAuthentication,
	type ClientAuthenticationMethod,
	type PrivateKeyJwtOptions,
} from './client-authentication.js';
export type {ClientCredentialsOptions, OAuthFetch, RefreshTokenGrantOptions, RevokeOnSignOutOptions, TokenEndpointOptions, TokenRequestParameters} from './options.js';
