import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {inspect} from 'node:util';
import {afterEach, describe, expect, it} from 'vitest';
import {AuthenticationError, createAuthClient, createAuthFetch, createAuthSession, StepUpRequiredError} from '../../src/index.js';

let server: Server | undefined;
afterEach(async () => new Promise(resolve => {
	server?.closeAllConnections();
	server?.close(resolve);
}));

/** An API (real loopback server) that asks for step-up authentication (RFC 9470) on every request. */
async function stepUpApi(): Promise<{url: string; requests: () => number}> {
	let requests = 0;
	server = createServer((_request, response) => {
		requests++;
		response.writeHead(401, {
			'www-authenticate': 'Bearer error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values="phr phrh", max_age="300"',
		});
		response.end();
	});
	await new Promise<void>(resolve => {
		server!.listen(0, '127.0.0.1', resolve);
	});
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests};
}

describe('a 401 asking for step-up authentication (RFC 9470)', () => {
	it('ky client: StepUpRequiredError with acrValues and maxAge, no refresh, no retry, the token kept', async () => {
		const api = await stepUpApi();
		let refreshes = 0;
		const session = createAuthSession({refresh: async () => ({accessToken: `fresh-${++refreshes}`})});
		await session.signIn({accessToken: 'valid-token'});
		const error = await createAuthClient(session, {baseUrl: api.url}).post('transfers', {json: {amount: 1}}).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(StepUpRequiredError);
		expect(error).not.toBeInstanceOf(AuthenticationError);
		const stepUp = error as StepUpRequiredError;
		expect(stepUp.code).toBe('STEP_UP_REQUIRED');
		expect(stepUp.acrValues).toEqual(['phr', 'phrh']);
		expect(stepUp.maxAge).toBe(300);
		expect(stepUp.message).toMatch(/authenticate again \(step-up\)/);
		expect(inspect(stepUp, {depth: 10})).not.toContain('valid-token');
		expect(refreshes).toBe(0);
		expect(api.requests()).toBe(1);
		expect(await session.getAccessToken()).toBe('valid-token');
	});

	it('fetch adapter: the 401 is returned, no refresh', async () => {
		const api = await stepUpApi();
		let refreshes = 0;
		const session = createAuthSession({refresh: async () => ({accessToken: `fresh-${++refreshes}`})});
		await session.signIn({accessToken: 'valid-token'});
		const response = await createAuthFetch(session, {baseUrl: api.url})(`${api.url}/transfers`, {method: 'POST', body: '{}'});
		expect(response.status).toBe(401);
		expect(refreshes).toBe(0);
		expect(api.requests()).toBe(1);
	});
});
