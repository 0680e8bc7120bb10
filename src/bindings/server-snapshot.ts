import type {AuthSnapshot} from '../types/session.js';

/**
 * The snapshot the Vue and Svelte bindings show on the server and while hydrating: signed out and not `ready`
 * ("not known yet"). A server holds no user's tokens, and hydration must render exactly what the server did,
 * so it is this one frozen object, never the session's own snapshot; the bindings switch to the session's real
 * snapshot once the component has mounted (hydration done). `ky-auth/react` exports the same value.
 */
export const serverSnapshot: AuthSnapshot = Object.freeze({status: 'signedOut', expiresAt: null, ready: false, error: null});
