import type {AuthSnapshot} from '../types/session.js';

/**
 * The snapshot {@link useAuth} renders on the server and while hydrating: signed out and not `ready`
 * ("not known yet"). A server holds no user's tokens, and hydration must render exactly what the server
 * did, so it is this one frozen object, never the session's own snapshot; React re-renders with the real
 * snapshot right after hydration.
 */
export const serverSnapshot: AuthSnapshot = Object.freeze({status: 'signedOut', expiresAt: null, ready: false, error: null});
