import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';

/** Listens on 127.0.0.1 on an ephemeral port; resolves to the origin (`http://127.0.0.1:<port>`). */
export async function listenOnLoopback(server: Server): Promise<string> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address: string | AddressInfo | null = server.address();
	if (address === null || typeof address === 'string') throw new Error(`listenOnLoopback: expected a TCP address, got ${String(address)}`);
	return `http://127.0.0.1:${address.port}`;
}

/** Closes the server and every connection it still has (keep-alive ones included). */
export async function closeServer(server: Server): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		server.close(error => (error ? reject(error) : resolve()));
		server.closeAllConnections();
	});
}
