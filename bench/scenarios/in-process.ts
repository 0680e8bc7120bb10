/**
 * In-process cost: the same clients over a fetch that answers at once with a canned Response (no
 * network, no server), requests sent one after another, in many short interleaved rounds (each
 * contender sends a small batch, forward order then reversed), so that the load other processes put
 * on this shared machine changes little between the slots that are compared. What is left is each client library's own work per request, plus the canned
 * Response and reading its JSON, the same for everyone. Wall-clock time is the headline; the main
 * thread's CPU time is recorded next to it, as a check that other processes on this shared machine
 * did not decide the result. The thread CPU clock advances in 4 ms ticks here, far coarser than one
 * slot, so CPU is reported as totals over all rounds (CPU summed ÷ requests summed), not per-round medians.
 */
import {collectGarbage} from '../environment.ts';
import {everyContender, type Client, type ContenderId} from '../contenders.ts';
import type {BenchConfig} from '../config.ts';
import {sequential} from '../load.ts';
import {median, paired, roundOrder} from '../stats.ts';

type PerContender<T> = Record<ContenderId, T>;

export interface InProcessDifferences {
	kyAuthOverKy: number;
	kyAuthOverFetch: number;
	kyAuthFetchOverFetch: number;
	kyOverFetch: number;
}

export interface InProcessResult {
	requestsPerRound: number;
	rounds: number;
	/** Wall-clock µs per request, one entry per round, per contender. */
	wallUs: PerContender<number[]>;
	medianWallUs: PerContender<number>;
	/** Main-thread CPU µs per request over the whole run (total CPU ÷ total requests), per contender. */
	totalCpuUs: PerContender<number>;
	/** Medians of the per-round differences, µs per request (wall clock). */
	added: InProcessDifferences;
	/** Differences of the whole-run CPU µs per request (the clock is too coarse for per-round values). */
	addedCpu: InProcessDifferences;
	perRoundAdded: {kyAuthOverKy: number[]; kyAuthFetchOverFetch: number[]};
}

const cannedBody = '{"ok":true}';
const cannedInit: ResponseInit = {status: 200, headers: {'content-type': 'application/json'}};

/** A fetch that answers at once, whatever it is asked. */
export const cannedFetch: typeof globalThis.fetch = async () => new Response(cannedBody, cannedInit);

const minus = (a: number, b: number): number => a - b;

/** A full GC every this many rounds, outside any measured slot (not per slot: slots are short). */
const gcEveryRounds = 50;

function differences(values: PerContender<number[]>): InProcessDifferences {
	return {
		kyAuthOverKy: median(paired(values.kyAuth, values.ky, minus)),
		kyAuthOverFetch: median(paired(values.kyAuth, values.fetch, minus)),
		kyAuthFetchOverFetch: median(paired(values.kyAuthFetch, values.fetch, minus)),
		kyOverFetch: median(paired(values.ky, values.fetch, minus)),
	};
}

function totalDifferences(values: PerContender<number>): InProcessDifferences {
	return {
		kyAuthOverKy: values.kyAuth - values.ky,
		kyAuthOverFetch: values.kyAuth - values.fetch,
		kyAuthFetchOverFetch: values.kyAuthFetch - values.fetch,
		kyOverFetch: values.ky - values.fetch,
	};
}

function medians(values: PerContender<number[]>): PerContender<number> {
	return Object.fromEntries(Object.entries(values).map(([id, list]) => [id, median(list)])) as PerContender<number>;
}

export async function runInProcess(config: BenchConfig, log: (line: string) => void): Promise<InProcessResult> {
	const {rounds, requestsPerRound, warmupRequests} = config.inProcess;
	const origin = 'http://api.bench.invalid';
	const initial = {accessToken: 'in-process-token-0123456789abcdef', refreshToken: 'in-process-refresh', expiresAt: Date.now() + 3_600_000};
	const clients = new Map<ContenderId, Client>();
	for (const contender of everyContender) {
		clients.set(contender.id, await contender.create({origin, tokenUrl: `${origin}/token`, initial, fetch: cannedFetch}));
	}
	for (const contender of everyContender) {
		await sequential(clients.get(contender.id)!.call, warmupRequests);
	}
	const empty = (): PerContender<number[]> => Object.fromEntries(everyContender.map(contender => [contender.id, [] as number[]])) as unknown as PerContender<number[]>;
	const wallUs = empty();
	const totalCpuUs = Object.fromEntries(everyContender.map(contender => [contender.id, 0])) as PerContender<number>;
	for (let round = 0; round < rounds; round++) {
		if (round % gcEveryRounds === 0) {
			collectGarbage();
		}
		for (const contender of roundOrder(everyContender, round)) {
			const measured = await sequential(clients.get(contender.id)!.call, requestsPerRound);
			wallUs[contender.id].push(measured.wallUs);
			totalCpuUs[contender.id] += measured.cpuUs * requestsPerRound;
		}
		if ((round + 1) % 200 === 0 || round + 1 === rounds) {
			log(`  in-process: round ${round + 1}/${rounds}`);
		}
	}
	for (const contender of everyContender) {
		totalCpuUs[contender.id] /= rounds * requestsPerRound;
	}
	return {
		requestsPerRound,
		rounds,
		wallUs,
		medianWallUs: medians(wallUs),
		totalCpuUs,
		added: differences(wallUs),
		addedCpu: totalDifferences(totalCpuUs),
		perRoundAdded: {
			kyAuthOverKy: paired(wallUs.kyAuth, wallUs.ky, minus),
			kyAuthFetchOverFetch: paired(wallUs.kyAuthFetch, wallUs.fetch, minus),
		},
	};
}
