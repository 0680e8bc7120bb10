import type {TestProject} from 'vitest/node';
import {startApiServer} from '../helpers/api-server.js';
import {startDPoPControlServer} from '../dpop/servers/control-server.js';
import {startDPoPServers, type DPoPServers} from '../dpop/servers/index.js';

/** One DPoP server pair as a browser test reaches it. */
export interface BrowserDPoPPair {
	/** The resource server's origin (`http://127.0.0.1:<port>`). */
	readonly resourceOrigin: string;
	/** The token endpoint (`http://127.0.0.1:<port>/token`), another origin. */
	readonly tokenEndpoint: string;
}

/** The DPoP servers of the browser suite (CORS on), and the control server that drives them. */
export interface BrowserDPoPServers {
	/** `POST ${control}/__control/<nonce|clock>/<action>` (see test/dpop/servers/control-server.ts). */
	readonly control: string;
	/** Nonces required on both servers. */
	readonly nonce: BrowserDPoPPair;
	/** Both servers' clocks 5 minutes ahead of the machine's. */
	readonly clock: BrowserDPoPPair;
}

declare module 'vitest' {
	export interface ProvidedContext {
		apiOrigin: string;
		dpopServers: BrowserDPoPServers;
	}
}

function pairOf(servers: DPoPServers): BrowserDPoPPair {
	return {resourceOrigin: servers.resourceServer.origin, tokenEndpoint: servers.tokenServer.tokenEndpoint};
}

/**
 * Starts the real node:http API on 127.0.0.1 for the Chromium suite, and the DPoP servers (CORS on: the page is
 * another origin) with their control server, and hands their origins to the tests.
 */
export default async function setup(project: TestProject) {
	const server = await startApiServer({browser: true, tokenDelay: 20});
	const nonce = await startDPoPServers({cors: true, token: {requireNonce: true}, resource: {requireNonce: true}});
	const clock = await startDPoPServers({cors: true, clockOffsetMs: 5 * 60_000});
	const control = await startDPoPControlServer({nonce, clock});
	project.provide('apiOrigin', server.origin);
	project.provide('dpopServers', {control: control.origin, nonce: pairOf(nonce), clock: pairOf(clock)});
	return async () => {
		await Promise.all([server.close(), nonce.close(), clock.close(), control.close()]);
	};
}
