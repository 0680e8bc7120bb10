import type {SessionCredentials} from '../types/credentials.js';
import type {AuthSession} from '../types/session.js';
import {describeValue} from '../utils/describe.js';
import {dev, seeDocs} from '../utils/dev.js';

function isCredentials(value: unknown): value is SessionCredentials {
	const candidate = value as Partial<Record<keyof SessionCredentials, unknown>> | null | undefined;
	return typeof candidate?.acquire === 'function' && typeof candidate.rejected === 'function' && typeof candidate.insideRefresh === 'function';
}

/** The credentials contract of a session (see {@link SessionCredentials}), or a `TypeError`. */
export function credentialsOf(where: string, session: AuthSession): SessionCredentials {
	const credentials = (session as Partial<AuthSession> | null | undefined)?.credentials;
	if (!isCredentials(credentials)) {
		throw new TypeError(dev ? `${where}: expected a session made by createAuthSession(), got ${describeValue(session)}` : `${where}: ${seeDocs('TypeError')}`);
	}
	return credentials;
}
