import type {CredentialGrant} from '../../types/credentials.js';

/** Signed out: send without credentials. */
export const NONE: CredentialGrant = Object.freeze({kind: 'none'});

/** The session ended (or switched user) while the request waited: do not send it. */
export const ENDED: CredentialGrant = Object.freeze({kind: 'ended'});
