import {dev} from '../utils/dev.js';
import type {AuthSession} from '../types/session.js';
import {invalid} from '../utils/validate.js';

/**
 * What the framework bindings read from a session: its snapshot and the change notification. Any
 * {@link AuthSession} (user or machine) is one.
 */
export type AuthSnapshotSource = Pick<AuthSession, 'getSnapshot' | 'subscribe'>;

/** Throws a `TypeError` unless `session` has `getSnapshot()` and `subscribe()` (a missing argument, a client passed instead). */
export function checkSession(where: string, session: unknown): asserts session is AuthSnapshotSource {
	const candidate = session as Partial<AuthSnapshotSource> | null | undefined;
	if (typeof candidate?.getSnapshot !== 'function' || typeof candidate.subscribe !== 'function') {
		invalid(where, dev ? 'an AuthSession (an object with getSnapshot() and subscribe())' : '', session);
	}
}
