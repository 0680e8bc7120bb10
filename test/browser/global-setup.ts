import type {TestProject} from 'vitest/node';
import {startApiServer} from '../helpers/api-server.js';

declare module 'vitest' {
	export interface ProvidedContext {
		apiOrigin: string;
	}
}

/** Starts the real node:http API on 127.0.0.1 for the Chromium suite and hands its origin to the tests. */
export default async function setup(project: TestProject) {
	const server = await startApiServer({browser: true, tokenDelay: 20});
	project.provide('apiOrigin', server.origin);
	return async () => server.close();
}
