/**
 * Issue 7, item 6 (RefreshError / StoreError part): the message carries a one-line, redacted, bounded
 * summary of the cause, so a log line that prints only `message` still says why the refresh failed.
 */
import {describe, expect, it} from 'vitest';
import {createAuthSession, memoryStore, RefreshError, StoreError, type TokenSet} from '../../src/index.js';

const REFRESH = 'REFRESH-secret-0987654321';
const ACCESS = 'ACCESS-secret-1234567890';

/** A signed-in session whose refresh does `refresh`; resolves the error `session.refresh()` rejects with. */
async function refreshFailure(refresh: () => Promise<unknown>): Promise<RefreshError> {
	const session = createAuthSession({store: memoryStore(), refresh: refresh as () => Promise<TokenSet | null>, refreshTimeout: 1000});
	await session.signIn({accessToken: ACCESS, refreshToken: REFRESH, expiresIn: 300});
	const error = await session.refresh().then(() => undefined, (error_: unknown) => error_);
	expect(error).toBeInstanceOf(RefreshError);
	return error as RefreshError;
}

describe('RefreshError.message ends with a summary of its cause', () => {
	it('a network failure: name, message and the nested cause that says what really happened', async () => {
		const error = await refreshFailure(async () => {
			throw new TypeError('fetch failed', {cause: new Error('connect ECONNREFUSED 127.0.0.1:443')});
		});
		expect(error.code).toBe('REFRESH_FAILED');
		expect(error.message).toBe('The token refresh failed: TypeError: fetch failed (caused by: connect ECONNREFUSED 127.0.0.1:443)');
		expect(String(error)).toContain('TypeError: fetch failed');
		expect(error.stack).toContain('TypeError: fetch failed');
	});

	it('a plain Error is summarised by its message alone', async () => {
		const error = await refreshFailure(async () => {
			throw new Error('token endpoint answered 503');
		});
		expect(error.message).toBe('The token refresh failed: token endpoint answered 503');
	});

	it('an AggregateError says how many errors it holds and what the first one was', async () => {
		const error = await refreshFailure(async () => {
			throw new AggregateError([new Error('idp-a answered 503'), new Error('idp-b answered 502')], 'every identity provider failed');
		});
		expect(error.message).toBe('The token refresh failed: AggregateError: every identity provider failed (2 errors, the first: idp-a answered 503)');
	});

	it('a thrown non-Error value is described, not dumped', async () => {
		const error = await refreshFailure(async () => {
			throw {status: 503};
		});
		expect(error.message).toBe('The token refresh failed: a non-Error value was thrown: an object');
	});

	it('the summary is redacted: a cause quoting the refresh token shows [REDACTED] in the message', async () => {
		const error = await refreshFailure(async () => {
			throw new Error(`invalid_grant for refresh_token=${REFRESH}`);
		});
		expect(error.message).toBe('The token refresh failed: invalid_grant for refresh_token=[REDACTED]');
		expect(error.stack).not.toContain(REFRESH);
	});

	it('the summary is one line and bounded', async () => {
		const error = await refreshFailure(async () => {
			throw new Error(`first line\n${'x'.repeat(5000)}`);
		});
		expect(error.message).toBe('The token refresh failed: first line');
		const long = await refreshFailure(async () => {
			throw new Error('y'.repeat(5000));
		});
		expect(long.message.length).toBeLessThanOrEqual('The token refresh failed: '.length + 200);
		expect(long.message.endsWith('…')).toBe(true);
		expect(long.message).not.toContain('\n');
	});

	it('REFRESH_INVALID_RESULT reads as a sentence and never shows the values', async () => {
		const error = await refreshFailure(async () => ({token: REFRESH}));
		expect(error.code).toBe('REFRESH_INVALID_RESULT');
		expect(error.message).toBe('The token refresh returned an invalid result: expected a TokenSet or null, got an object without "accessToken"');
		expect(error.message).not.toContain(REFRESH);
	});

	it('codes are unchanged and the constructor still takes (code, {cause, detail})', () => {
		const timeout = new RefreshError('REFRESH_TIMEOUT', {detail: 'no result within 30000 ms'});
		expect(timeout.code).toBe('REFRESH_TIMEOUT');
		expect(timeout.message).toBe('The token refresh timed out: no result within 30000 ms');
		expect(Object.hasOwn(timeout, 'cause')).toBe(false);
		const failed = new RefreshError('REFRESH_FAILED', {cause: new RangeError('bad port'), detail: 'while posting the grant'});
		expect(failed.message).toBe('The token refresh failed: while posting the grant: RangeError: bad port');
		expect(failed.cause).toBeInstanceOf(RangeError);
		expect(new RefreshError('REFRESH_UNAVAILABLE').message).toBe('The session has no refresh function');
	});
});

describe('StoreError.message ends with a summary of the store\'s error, when the tokens to redact are given', () => {
	it('given the tokens involved (or [] when none are), the message ends with the summary', () => {
		expect(new StoreError('STORE_READ_FAILED', new Error('disk on fire'), []).message).toBe('The token store failed to read: disk on fire');
		expect(new StoreError('STORE_WRITE_FAILED', new DOMException('quota reached', 'QuotaExceededError'), [ACCESS]).message)
			.toBe('The token store failed to write: QuotaExceededError: quota reached');
		// Without secrets nothing vouches for the cause: the message stays bare and the cause is kept as given.
		const cause = new Error(`cannot write ${ACCESS}`);
		const bare = new StoreError('STORE_WRITE_FAILED', cause);
		expect(bare.message).toBe('The token store failed to write');
		expect(bare.cause).toBe(cause);
	});

	it('built with the tokens involved as secrets, neither the message nor the cause shows them', () => {
		const error = new StoreError('STORE_WRITE_FAILED', new Error(`cannot write ${ACCESS}`), [ACCESS, REFRESH]);
		expect(error.message).toBe('The token store failed to write: cannot write [REDACTED]');
		expect((error.cause as Error).message).toBe('cannot write [REDACTED]');
	});
});
