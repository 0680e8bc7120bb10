// ky-auth/dpop: DPoP (RFC 9449) proofs and the DPoP credential scheme, built on jose (an optional peer
// dependency of this entry only).
export {dpop, type DPoPScheme} from './dpop.js';
export {memoryKeys, type DPoPKeyStore} from './key-store.js';
export {indexedDbKeys, type IndexedDbKeysOptions} from './indexed-db-keys.js';
export type {DPoPOptions} from './options.js';
export type {DPoPAlgorithm} from './algorithms.js';
export type {DPoPProofInput, DPoPProofs, DPoPServerRole} from '../../types/dpop.js';
