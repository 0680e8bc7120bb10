/**
 * `ky-auth/svelte`: the session's state as a Svelte readable store (`$auth`, or `fromStore` with Svelte 5
 * runes). Svelte (4 or later) is an optional peer dependency, needed only by this entry.
 *
 * @packageDocumentation
 */
export {readableAuth} from './readable-auth.js';
export {whenReady, type WhenReadyOptions} from '../bindings/when-ready.js';
export {serverSnapshot} from '../bindings/server-snapshot.js';
export type {AuthSnapshotSource} from '../bindings/session-source.js';
