/**
 * Expiry at load: steady traffic at concurrency C while the first token expires mid-run. The first
 * token lives `initialLifetimeMs` (its expiry is given to the client as `expiresAt`, as a token
 * response's `expires_in` would); tokens from the token endpoint live `refreshedLifetimeS`, beyond
 * the run. Counts what reached the server with an expired token, refreshes, failures, and latency
 * around the expiry instant.
 */
import {collectGarbage} from '../environment.ts';
import {refreshingContenders, type ContenderId, type ContenderSetup} from '../contenders.ts';
import type {BenchConfig} from '../config.ts';
import {closedLoop, type ErrorTally} from '../load.ts';
import type {BenchServer} from '../server-control.ts';
import {max, median, quantile, roundOrder} from '../stats.ts';

export interface ExpiryRun {
	requests: number;
	tokenCalls: number;
	expiredSends: number;
	unauthorized: number;
	failed: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
	/** Highest latency among requests started within ±500 ms of the expiry instant. */
	maxNearExpiryMs: number;
	errors: ErrorTally;
}

export interface ExpirySummary {
	tokenCallsMin: number;
	tokenCallsMax: number;
	expiredSendsMax: number;
	unauthorizedMax: number;
	failedMax: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
	maxNearExpiryMs: number;
}

export interface ExpiryResult {
	concurrency: number;
	durationMs: number;
	initialLifetimeMs: number;
	rounds: number;
	runs: Partial<Record<ContenderId, ExpiryRun[]>>;
	summary: Partial<Record<ContenderId, ExpirySummary>>;
}

const nearExpiryMs = 500;

export async function runExpiry(config: BenchConfig, server: BenchServer, base: Omit<ContenderSetup, 'initial'>, log: (line: string) => void): Promise<ExpiryResult> {
	const {rounds, concurrency, durationMs, initialLifetimeMs, refreshedLifetimeS, maxRequests} = config.expiry;
	const serverConfig = {tokenLatencyMs: config.tokenLatencyMs, initialLifetimeMs, refreshedLifetimeS};
	const runs: Partial<Record<ContenderId, ExpiryRun[]>> = {};
	for (let round = 0; round < rounds; round++) {
		for (const contender of roundOrder(refreshingContenders, round)) {
			collectGarbage();
			const initial = await server.reset(serverConfig);
			const client = await contender.create({...base, initial});
			const startedAt = Date.now();
			const result = await closedLoop(client.call, {total: maxRequests, concurrency, maxMs: durationMs});
			const stats = await server.stats();
			const expiryOffset = stats.initialExpiresAt - startedAt;
			let maxNearExpiryMs = 0;
			for (let index = 0; index < result.latencies.length; index++) {
				if (Math.abs(result.starts[index]! - expiryOffset) <= nearExpiryMs) {
					maxNearExpiryMs = Math.max(maxNearExpiryMs, result.latencies[index]!);
				}
			}
			(runs[contender.id] ??= []).push({
				requests: result.completed,
				tokenCalls: stats.tokenCalls,
				expiredSends: stats.expiredSends,
				unauthorized: stats.unauthorized,
				failed: result.failed,
				p50Ms: quantile(result.latencies, 0.5),
				p99Ms: quantile(result.latencies, 0.99),
				maxMs: quantile(result.latencies, 1),
				maxNearExpiryMs,
				errors: result.errors,
			});
		}
		log(`  expiry: round ${round + 1}/${rounds}`);
	}
	const summary: Partial<Record<ContenderId, ExpirySummary>> = {};
	for (const [id, list] of Object.entries(runs) as Array<[ContenderId, ExpiryRun[]]>) {
		const of = (key: keyof ExpiryRun) => list.map(run => run[key] as number);
		summary[id] = {
			tokenCallsMin: Math.min(...of('tokenCalls')),
			tokenCallsMax: max(of('tokenCalls')),
			expiredSendsMax: max(of('expiredSends')),
			unauthorizedMax: max(of('unauthorized')),
			failedMax: max(of('failed')),
			p50Ms: median(of('p50Ms')),
			p99Ms: median(of('p99Ms')),
			maxMs: median(of('maxMs')),
			maxNearExpiryMs: median(of('maxNearExpiryMs')),
		};
	}
	return {concurrency, durationMs, initialLifetimeMs, rounds, runs, summary};
}
