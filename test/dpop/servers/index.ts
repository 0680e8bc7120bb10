/**
 * DPoP (RFC 9449) servers for tests: a resource server and a token endpoint that verify proofs with jose,
 * written from the RFC and independent of ky-auth's client (nothing here imports `src/`).
 */
export {startDPoPResourceServer, type DPoPResourceServer, type DPoPResourceServerOptions, type ResourceRejection, type ResourceRequestRecord, type ResourceServerStats} from './resource-server.js';
export {startDPoPTokenServer, type DPoPGrantType, type DPoPTokenServer, type DPoPTokenServerOptions, type TokenRejection, type TokenRequestRecord, type TokenServerStats} from './token-server.js';
export {startDPoPServers, type DPoPServers, type DPoPServersOptions} from './start-servers.js';
export {createTokenRegistry, type AccessTokenRecord, type TokenRegistry, type TokenValidator} from './token-registry.js';
export {defaultExposeHeaders, type CorsOptions, type CorsState, type WithCorsOption} from './cors.js';
export type {ChallengeRule} from './path-rules.js';
export type {ServerStats} from './stats.js';
export {accessTokenHash, defaultAlgorithms, type AcceptedProof, type LoggedProof, type ProofFailure} from './verify-proof.js';
