/**
 * Issue 7, item 7: redaction walks nested errors (AggregateError.errors, Errors in fields of the
 * cause, plain-object fields, arrays) with cycles handled, and keeps the rest of the cause readable.
 */
import {inspect} from 'node:util';
import {describe, expect, it} from 'vitest';
import {createAuthSession, memoryStore, RefreshError, StoreError, type TokenSet} from '../../src/index.js';
import {maxRedactionDepth, redactError} from '../../src/redact/redact.js';

const ACCESS = 'ACCESS-secret-1234567890';
const REFRESH = 'REFRESH-secret-0987654321';
const MARKER = 'readable-marker-7781';

/** JSON of `value`, or '' when it has cycles (JSON cannot show it at all then). */
function json(value: unknown): string {
	try {
		return JSON.stringify(value) ?? '';
	} catch {
		return '';
	}
}

function views(error: unknown): string[] {
	const asError = error as Error;
	return [asError.message, asError.stack ?? '', String(error), json(error), inspect(error, {depth: 10}), json(asError.cause)];
}

function expectNoToken(error: unknown): void {
	for (const view of views(error)) {
		expect(view).not.toContain(ACCESS);
		expect(view).not.toContain(REFRESH);
	}
}

async function refreshFailure(thrown: unknown): Promise<RefreshError> {
	const session = createAuthSession({store: memoryStore(), refresh: (async () => Promise.reject(thrown)) as () => Promise<TokenSet | null>});
	await session.signIn({accessToken: ACCESS, refreshToken: REFRESH, expiresIn: 300});
	const error = await session.refresh().then(() => undefined, (error_: unknown) => error_);
	expect(error).toBeInstanceOf(RefreshError);
	return error as RefreshError;
}

describe('a token nested anywhere in the refresh error is redacted from every view of the RefreshError', () => {
	it('inside an AggregateError', async () => {
		const thrown = new AggregateError([new Error(MARKER), new Error(`grant refused for ${REFRESH}`)], 'every identity provider failed');
		const error = await refreshFailure(thrown);
		expectNoToken(error);
		const cause = error.cause as AggregateError;
		expect(cause).toBeInstanceOf(AggregateError);
		expect(cause.message).toBe('every identity provider failed');
		expect(cause.errors.map(nested => (nested as Error).message)).toEqual([MARKER, 'grant refused for [REDACTED]']);
		expect(inspect(error, {depth: 10})).toContain(MARKER);
		// A cause that mentions no token is kept as it is.
		const clean = new AggregateError([new Error(MARKER)], 'nothing secret');
		expect((await refreshFailure(clean)).cause).toBe(clean);
	});

	it('inside an Error held in a field of the cause', async () => {
		const thrown = Object.assign(new Error('token request failed'), {status: 400, original: new Error(`body was refresh_token=${REFRESH}`)});
		const error = await refreshFailure(thrown);
		expectNoToken(error);
		expect(error.cause).toMatchObject({message: 'token request failed', status: 400, original: {message: 'body was refresh_token=[REDACTED]'}});
	});

	it('in nested plain-object fields and arrays of the cause', async () => {
		const thrown = Object.assign(new TypeError('bad answer'), {
			response: {status: 400, body: {error: 'invalid_grant', echo: [{sent: {refresh_token: REFRESH, note: MARKER}}]}},
		});
		const error = await refreshFailure(thrown);
		expectNoToken(error);
		expect(error.cause).toBeInstanceOf(TypeError);
		expect(error.cause).toMatchObject({response: {status: 400, body: {error: 'invalid_grant', echo: [{sent: {refresh_token: '[REDACTED]', note: MARKER}}]}}});
	});

	it('deep in a chain of causes, with its spellings (JSON, URL and form encoding)', async () => {
		let thrown = new Error(`innermost ${encodeURIComponent(`${REFRESH}/+=`)}`);
		for (let level = 0; level < 6; level++) {
			thrown = new Error(`level ${level} ${MARKER}`, {cause: thrown});
		}
		const session = createAuthSession({refresh: async () => Promise.reject(thrown)});
		const tricky = `${REFRESH}/+=`;
		await session.signIn({accessToken: ACCESS, refreshToken: tricky});
		const error = await session.refresh().catch((error_: unknown) => error_);
		for (const view of views(error)) {
			expect(view).not.toContain(encodeURIComponent(tricky));
		}
		expect(inspect(error, {depth: 10})).toContain('innermost [REDACTED]');
		expect(inspect(error, {depth: 10})).toContain(`level 0 ${MARKER}`);
	});

	it('with cycles: an error that is its own cause, an object that holds itself', async () => {
		const thrown = new Error(`cyclic ${ACCESS}`) as Error & {self?: unknown; bag?: Record<string, unknown>};
		thrown.cause = thrown;
		thrown.bag = {marker: MARKER};
		thrown.bag.bag = thrown.bag;
		const error = await refreshFailure(thrown);
		expectNoToken(error);
		const cause = error.cause as typeof thrown;
		expect(cause.cause).toBe(cause);
		expect(cause.bag?.bag).toBe(cause.bag);
		expect(cause.bag?.marker).toBe(MARKER);
	});
});

describe('redactError on its own', () => {
	it('goes at least maxRedactionDepth levels deep, and drops (never shows) what is deeper', () => {
		const root: Record<string, unknown> = {};
		let node = root;
		for (let level = 0; level < 20; level++) {
			node.next = {level, secret: ACCESS};
			node = node.next as Record<string, unknown>;
		}
		const redacted = redactError(new Error('deep', {cause: root}), [ACCESS]);
		const text = inspect(redacted, {depth: Number.POSITIVE_INFINITY});
		expect(text).not.toContain(ACCESS);
		expect(text).toContain(`nested deeper than ${maxRedactionDepth} levels`);
		expect(maxRedactionDepth).toBeGreaterThanOrEqual(8);
	});

	it('keeps hidden fields hidden and readable, and web objects readable', () => {
		const error = new Error('ky failed');
		Object.defineProperty(error, 'request', {value: {body: new URLSearchParams({grant_type: 'refresh_token', refresh_token: REFRESH})}, enumerable: false});
		const redacted = redactError(error, [REFRESH]) as Error & {request: {body: URLSearchParams}};
		expect(Object.getOwnPropertyDescriptor(redacted, 'request')?.enumerable).toBe(false);
		expect(redacted.request.body.get('grant_type')).toBe('refresh_token');
		expect(redacted.request.body.get('refresh_token')).toBe('[REDACTED]');
		expect(inspect(redacted, {depth: 10, showHidden: true})).not.toContain(REFRESH);
	});

	it('keeps the class of built-in errors and of plain subclasses', () => {
		class TokenEndpointError extends Error {
			override name = 'TokenEndpointError';
			readonly status = 400;
		}
		const redacted = redactError(new TokenEndpointError(`refused ${REFRESH}`), [REFRESH]);
		expect(redacted).toBeInstanceOf(TokenEndpointError);
		expect(redacted).toMatchObject({name: 'TokenEndpointError', status: 400, message: 'refused [REDACTED]'});
		expect(redactError(new RangeError(REFRESH), [REFRESH])).toBeInstanceOf(RangeError);
	});
});

describe('StoreError takes the tokens to redact from its cause', () => {
	it('a store error carrying a token record', () => {
		const record = {id: 'k3v9q2', generation: 4, tokens: {accessToken: ACCESS, refreshToken: REFRESH}};
		const storeFailure = Object.assign(new Error('QuotaExceededError while saving'), {record, attempts: [record]});
		const error = new StoreError('STORE_WRITE_FAILED', storeFailure, [ACCESS, REFRESH]);
		expectNoToken(error);
		expect(error.cause).toMatchObject({message: 'QuotaExceededError while saving', record: {id: 'k3v9q2', generation: 4, tokens: {accessToken: '[REDACTED]', refreshToken: '[REDACTED]'}}});
		expect(error.code).toBe('STORE_WRITE_FAILED');
	});
});
