/**
 * Steady load over loopback: a valid token, N requests at concurrency C per contender per round,
 * contenders interleaved (forward, then reversed). Throughput, latency, and the client process's CPU
 * time per request (the server runs in its own process).
 */
import {collectGarbage} from '../environment.ts';
import {everyContender, type ContenderId, type ContenderSetup} from '../contenders.ts';
import type {BenchConfig} from '../config.ts';
import {closedLoop, type ErrorTally} from '../load.ts';
import type {BenchServer} from '../server-control.ts';
import {median, paired, quantile, roundOrder} from '../stats.ts';

export interface SteadyRun {
	throughput: number;
	p50Ms: number;
	p99Ms: number;
	cpuUsPerRequest: number;
	completed: number;
	failed: number;
	errors: ErrorTally;
}

export interface SteadyResult {
	requests: number;
	concurrency: number;
	rounds: number;
	runs: Record<ContenderId, SteadyRun[]>;
	median: Record<ContenderId, {throughput: number; p50Ms: number; p99Ms: number; cpuUsPerRequest: number; failed: number}>;
	/** Medians of per-round throughput ratios. */
	ratios: {kyAuthToKy: number; kyAuthToFetch: number; kyAuthFetchToFetch: number; kyAuthFetchToKy: number; perRoundKyAuthToKy: number[]};
}

export async function runSteady(config: BenchConfig, server: BenchServer, base: Omit<ContenderSetup, 'initial'>, log: (line: string) => void): Promise<SteadyResult> {
	const {rounds, requests, concurrency, maxMsPerRun} = config.steady;
	const serverConfig = {tokenLatencyMs: config.tokenLatencyMs, initialLifetimeMs: 3_600_000, refreshedLifetimeS: 3600};
	const runs = Object.fromEntries(everyContender.map(contender => [contender.id, [] as SteadyRun[]])) as unknown as Record<ContenderId, SteadyRun[]>;
	// One unrecorded warm-up pass: JIT, connection pools.
	for (let round = -1; round < rounds; round++) {
		for (const contender of roundOrder(everyContender, Math.max(round, 0))) {
			const initial = await server.reset(serverConfig);
			const client = await contender.create({...base, initial});
			collectGarbage();
			const total = round < 0 ? Math.ceil(requests / 5) : requests;
			const result = await closedLoop(client.call, {total, concurrency, maxMs: maxMsPerRun});
			if (round < 0) {
				continue;
			}
			runs[contender.id].push({
				throughput: (result.completed / result.elapsedMs) * 1000,
				p50Ms: quantile(result.latencies, 0.5),
				p99Ms: quantile(result.latencies, 0.99),
				cpuUsPerRequest: result.cpuUs / Math.max(result.completed, 1),
				completed: result.completed,
				failed: result.failed,
				errors: result.errors,
			});
		}
		log(round < 0 ? '  steady: warm-up done' : `  steady: round ${round + 1}/${rounds}`);
	}
	const pick = (id: ContenderId, key: keyof SteadyRun) => runs[id].map(run => run[key] as number);
	const ratio = (a: number, b: number): number => a / b;
	const perRoundKyAuthToKy = paired(pick('kyAuth', 'throughput'), pick('ky', 'throughput'), ratio);
	return {
		requests,
		concurrency,
		rounds,
		runs,
		median: Object.fromEntries(everyContender.map(({id}) => [id, {
			throughput: median(pick(id, 'throughput')),
			p50Ms: median(pick(id, 'p50Ms')),
			p99Ms: median(pick(id, 'p99Ms')),
			cpuUsPerRequest: median(pick(id, 'cpuUsPerRequest')),
			failed: Math.max(...pick(id, 'failed')),
		}])) as SteadyResult['median'],
		ratios: {
			kyAuthToKy: median(perRoundKyAuthToKy),
			kyAuthToFetch: median(paired(pick('kyAuth', 'throughput'), pick('fetch', 'throughput'), ratio)),
			kyAuthFetchToFetch: median(paired(pick('kyAuthFetch', 'throughput'), pick('fetch', 'throughput'), ratio)),
			kyAuthFetchToKy: median(paired(pick('kyAuthFetch', 'throughput'), pick('ky', 'throughput'), ratio)),
			perRoundKyAuthToKy,
		},
	};
}
