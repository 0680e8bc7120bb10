import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {createAuthClient, createAuthSession, type RefreshContext} from '../../src/index.js';

let server: Server | undefined;
afterEach(async () => new Promise(resolve => {
	server?.closeAllConnections();
	server?.close(resolve);
}));

const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';

/** An API (real loopback server) that refuses a token without the claim with Entra's insufficient_claims challenge. */
async function claimsApi(encoding: 'base64' | 'plain'): Promise<string> {
	const value = encoding === 'base64' ? Buffer.from(claims).toString('base64') : 'not base64 {}';
	server = createServer((request, response) => {
		if (request.headers.authorization === 'Bearer with-claims') {
			response.writeHead(200, {'content-type': 'application/json'});
			response.end('{"ok":true}');
			return;
		}
		response.writeHead(401, {'www-authenticate': `Bearer realm="", error="insufficient_claims", claims="${value}"`});
		response.end();
	});
	await new Promise<void>(resolve => {
		server!.listen(0, '127.0.0.1', resolve);
	});
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('a 401 with an insufficient_claims challenge (Entra Conditional Access)', () => {
	it('the decoded claims reach the refresh context, then one retry succeeds', async () => {
		const api = await claimsApi('base64');
		const contexts: Array<Pick<RefreshContext, 'reason' | 'claims'>> = [];
		const session = createAuthSession({refresh: async ({reason, claims: asked}) => {
			contexts.push({reason, claims: asked});
			return {accessToken: asked === claims ? 'with-claims' : 'without'};
		}});
		await session.signIn({accessToken: 'plain-token'});
		expect(await createAuthClient(session, {baseUrl: api, retry: 0}).get('mail').json()).toEqual({ok: true});
		expect(contexts).toEqual([{reason: 'unauthorized', claims}]);
		// A later refresh carries no claims.
		await session.refresh();
		expect(contexts[1]).toEqual({reason: 'manual', claims: undefined});
	});

	it('claims that are not base64 JSON are passed as sent', async () => {
		const api = await claimsApi('plain');
		const seen: Array<string | undefined> = [];
		const session = createAuthSession({refresh: async ({claims: asked}) => {
			seen.push(asked);
			return {accessToken: 'still-without'};
		}});
		await session.signIn({accessToken: 'plain-token'});
		await createAuthClient(session, {baseUrl: api, retry: 0}).get('mail').catch(() => undefined);
		expect(seen).toEqual(['not base64 {}']);
	});
});
