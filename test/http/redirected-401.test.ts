import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {HTTPError} from 'ky';
import {afterEach, describe, expect, it} from 'vitest';
import {AuthenticationError, createAuthClient, createAuthFetch, createAuthSession} from '../../src/index.js';

const servers: Server[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async server => new Promise(resolve => {
		server.closeAllConnections();
		server.close(resolve);
	})));
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
	const server = createServer(handler);
	servers.push(server);
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An API that redirects to a CDN (another origin, real loopback servers) which answers 401. */
async function apiAndCdn(): Promise<{api: string; cdnAuthorizations: Array<string | undefined>}> {
	const cdnAuthorizations: Array<string | undefined> = [];
	const cdn = await listen((request, response) => {
		cdnAuthorizations.push(request.headers.authorization);
		response.writeHead(401, {'www-authenticate': 'Bearer realm="cdn"'});
		response.end();
	});
	const api = await listen((request, response) => {
		response.writeHead(302, {location: `${cdn}/files/report.pdf`});
		response.end();
	});
	return {api, cdnAuthorizations};
}

describe('a 401 from the origin a redirect led to', () => {
	it('never touches the session: no refresh, the token is not marked rejected, and no credential reaches the other origin', async () => {
		const {api, cdnAuthorizations} = await apiAndCdn();
		let refreshes = 0;
		const session = createAuthSession({refresh: async () => ({accessToken: `fresh-${++refreshes}`})});
		await session.signIn({accessToken: 'valid-token'});
		const client = createAuthClient(session, {baseUrl: api, retry: 0});

		const error = await client.get('download').catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(HTTPError);
		expect(error).not.toBeInstanceOf(AuthenticationError);
		expect(refreshes).toBe(0);
		expect(await session.getAccessToken()).toBe('valid-token');
		expect(cdnAuthorizations).toEqual([undefined]);

		const response = await createAuthFetch(session, {baseUrl: api})(`${api}/download`);
		expect(response.status).toBe(401);
		expect(refreshes).toBe(0);
		expect(cdnAuthorizations).toEqual([undefined, undefined]);
	});
});
