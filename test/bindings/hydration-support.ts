import {afterEach, onTestFinished, vi} from 'vitest';
import type {AuthSession} from '../../src/index.js';

/** A `keep(session)` whose sessions are disposed after each test of the file that calls this at its top level. */
export function disposedAfterEach(): (session: AuthSession) => AuthSession {
	const sessions: AuthSession[] = [];
	afterEach(() => {
		for (const session of sessions.splice(0)) {
			session.dispose();
		}
	});
	return session => {
		sessions.push(session);
		return session;
	};
}

/** Every warning the framework or the console reports while the test runs (hydration mismatches are logged there). */
export function captureWarnings(): string[] {
	const warnings: string[] = [];
	const record = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
	const warn = vi.spyOn(console, 'warn').mockImplementation(record);
	const error = vi.spyOn(console, 'error').mockImplementation(record);
	onTestFinished(() => {
		warn.mockRestore();
		error.mockRestore();
	});
	return warnings;
}
