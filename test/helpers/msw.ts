import {setupServer} from 'msw/node';
import {afterAll, afterEach, beforeAll} from 'vitest';

/** An msw server for response shaping, strict about unhandled requests; reset after each test. */
export function useMsw() {
	const server = setupServer();
	beforeAll(() => {
		server.listen({onUnhandledFrame: 'error'});
	});
	afterEach(() => {
		server.resetHandlers();
	});
	afterAll(() => {
		server.close();
	});
	return server;
}
