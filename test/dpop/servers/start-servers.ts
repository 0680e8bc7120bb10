import type {CorsOptions} from './cors.js';
import {startDPoPResourceServer, type DPoPResourceServer, type DPoPResourceServerOptions} from './resource-server.js';
import {createTokenRegistry, type TokenRegistry} from './token-registry.js';
import {startDPoPTokenServer, type DPoPTokenServer, type DPoPTokenServerOptions} from './token-server.js';

/** Options of {@link startDPoPServers}. */
export interface DPoPServersOptions {
	/** Both servers' clock offset (each side's own `clockOffsetMs` wins). Default 0. */
	readonly clockOffsetMs?: number;
	/** Both servers' CORS mode (each side's own `cors` wins). Default: off. */
	readonly cors?: CorsOptions | boolean;
	readonly token?: Omit<DPoPTokenServerOptions, 'registry'>;
	readonly resource?: Omit<DPoPResourceServerOptions, 'tokens'>;
}

/** A token server and a resource server on two ports (two origins) sharing one token registry. */
export interface DPoPServers {
	readonly tokenServer: DPoPTokenServer;
	readonly resourceServer: DPoPResourceServer;
	readonly registry: TokenRegistry;
	/** Closes both. */
	close(): Promise<void>;
}

/** Starts both servers; the resource server accepts the access tokens the token server issues. */
export async function startDPoPServers(options: DPoPServersOptions = {}): Promise<DPoPServers> {
	const registry = createTokenRegistry();
	const shared = {
		...(options.clockOffsetMs === undefined ? {} : {clockOffsetMs: options.clockOffsetMs}),
		...(options.cors === undefined ? {} : {cors: options.cors}),
	};
	const tokenServer = await startDPoPTokenServer({...shared, ...options.token, registry});
	let resourceServer: DPoPResourceServer;
	try {
		resourceServer = await startDPoPResourceServer({...shared, ...options.resource, tokens: registry});
	} catch (error) {
		await tokenServer.close();
		throw error;
	}
	return {
		tokenServer,
		resourceServer,
		registry,
		close: async () => {
			await Promise.all([tokenServer.close(), resourceServer.close()]);
		},
	};
}
