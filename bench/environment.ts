/** The machine, the runtime, a forced GC and the connection pools shared by the contenders. */
import {readFileSync} from 'node:fs';
import {Agent as HttpAgent} from 'node:http';
import {availableParallelism, cpus, release, totalmem} from 'node:os';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

export interface Machine {
	nproc: number;
	cpuModel: string;
	node: string;
	os: string;
	memoryGB: number;
}

export function describeMachine(): Machine {
	let cpuModel = cpus()[0]?.model ?? 'unknown';
	try {
		const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find(entry => entry.startsWith('model name'));
		cpuModel = line?.split(':')[1]?.trim() ?? cpuModel;
	} catch {
		// not Linux: keep os.cpus()
	}
	return {
		nproc: availableParallelism(),
		cpuModel,
		node: process.version,
		os: `${process.platform} ${release()}`,
		memoryGB: Math.round(totalmem() / (1024 ** 3)),
	};
}

setFlagsFromString('--expose-gc');
const exposedGc = runInNewContext('gc') as (() => void) | undefined;

/** A full GC between measurements, so one contender's garbage is not collected on another's time. */
export function collectGarbage(): void {
	exposedGc?.();
}

/**
 * Connections per origin for every contender. Node's fetch (undici) and http.Agent are unbounded by
 * default; 10 000 in-flight requests would then open 10 000 sockets per side, beyond this machine's
 * 20 000-descriptor limit once two pools exist. 256 keeps every contender on the same footing.
 */
export const connectionsPerOrigin = 256;

const dispatcherKey = Symbol.for('undici.globalDispatcher.1');

/**
 * Gives Node's global fetch a keep-alive pool of `connectionsPerOrigin` connections. Node does not
 * export undici's Agent, so the class is taken from the default global dispatcher (created by one
 * throwaway fetch) and a new instance is installed under undici's documented global-dispatcher symbol.
 */
export async function limitFetchConnections(): Promise<void> {
	const globals = globalThis as unknown as Record<symbol, unknown>;
	if (globals[dispatcherKey] === undefined) {
		await fetch('http://127.0.0.1:1/').catch(() => undefined);
	}
	const current = globals[dispatcherKey] as {constructor: new (options: object) => unknown} | undefined;
	if (!current) {
		throw new Error('could not find the global fetch dispatcher to bound its connections');
	}
	globals[dispatcherKey] = new current.constructor({connections: connectionsPerOrigin, keepAliveTimeout: 20_000});
}

/** axios's keep-alive agent, bounded like the fetch pool. */
export function createHttpAgent(): HttpAgent {
	return new HttpAgent({keepAlive: true, maxSockets: connectionsPerOrigin});
}
