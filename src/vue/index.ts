/**
 * `ky-auth/vue`: the session's state as read-only Vue refs. Vue (3.3 or later) is an optional peer dependency,
 * needed only by this entry.
 *
 * @packageDocumentation
 */
export {useAuth, type AuthState} from './use-auth.js';
export {whenReady, type WhenReadyOptions} from '../bindings/when-ready.js';
export {serverSnapshot} from '../bindings/server-snapshot.js';
export type {AuthSnapshotSource} from '../bindings/session-source.js';
