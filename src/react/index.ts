/**
 * `ky-auth/react`: React bindings. {@link useAuth} reads a session (no provider), {@link useAuthClient}
 * gives components a stable ky client. Requires `react` 18 or later (an optional peer dependency).
 *
 * @packageDocumentation
 */
export {useAuth, type AuthSelector, type SelectionEquality} from './use-auth.js';
export {useAuthClient} from './use-auth-client.js';
export {isSignedIn, signInState, shallowEqual, type SignInState} from './selectors.js';
export {serverSnapshot} from './server-snapshot.js';
export type {AuthSnapshotSource} from '../bindings/session-source.js';
