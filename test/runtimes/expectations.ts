import {expect} from 'vitest';
import type {CaseResults} from './fixtures/cases.js';
import {stormSize} from './fixtures/cases.js';
import type {RuntimeServer} from './server.js';

/**
 * What every runtime must show for the cases of fixtures/cases.ts, counted on the server: one token call per storm
 * and every request answered; one refresh and one retry before `AuthenticationError`; a 403 is a `PermissionError`
 * with no token call and no retry; a redirect the platform follows carries the token to a hop on the same origin and
 * never to another origin.
 */
export function expectCases(results: CaseResults, server: RuntimeServer, prefix = ''): void {
	expect(results['storm-revoked']).toEqual(Array.from({length: stormSize}, () => ({status: 200})));
	expect(server.hits(`/token/${prefix}storm-revoked`)).toBe(1);
	// Each request was sent with the revoked token, then once more with the new one.
	expect(server.hits(`/api/${prefix}storm-revoked/ok`)).toBe(2 * stormSize);

	expect(results['storm-expired']).toEqual(Array.from({length: stormSize}, () => ({status: 200})));
	expect(server.hits(`/token/${prefix}storm-expired`)).toBe(1);
	// Nothing went out with the expired token: each request waited for the refresh.
	expect(server.hits(`/api/${prefix}storm-expired/ok`)).toBe(stormSize);

	expect(results['retry-once']).toEqual([{error: 'AuthenticationError', code: 'AUTHENTICATION_FAILED'}]);
	expect(server.hits(`/token/${prefix}retry-once`)).toBe(1);
	expect(server.hits(`/api/${prefix}retry-once/always-401`)).toBe(2);

	expect(results.redirects).toEqual([{status: 200}, {status: 200}]);
	expect(server.hits(`/api/${prefix}redirects/ok+authorization`)).toBe(1);
	expect(server.hits(`/api/${prefix}redirects/landing`)).toBe(1);
	expect(server.hits(`/api/${prefix}redirects/landing+authorization`)).toBe(0);
	expect(server.hits(`/token/${prefix}redirects`)).toBe(0);

	expect(results.forbidden).toEqual([{error: 'PermissionError', code: 'PERMISSION_DENIED'}]);
	expect(server.hits(`/token/${prefix}forbidden`)).toBe(0);
	expect(server.hits(`/api/${prefix}forbidden/forbidden`)).toBe(1);
}
