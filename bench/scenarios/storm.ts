/**
 * Revocation storm: C requests in flight when the server revokes the token. The server holds the
 * first min(C, connection cap) valid requests it receives, then revokes every token and answers them
 * all 401; the rest of the C requests, already sent by the client with the same token and waiting
 * for a connection, get 401 on arrival. The floor is plain ky sending the same C requests with a
 * valid token (no revocation), measured in the same rounds.
 */
import {collectGarbage, connectionsPerOrigin} from '../environment.ts';
import {contenders, refreshingContenders, type Contender, type ContenderId, type ContenderSetup} from '../contenders.ts';
import type {BenchConfig} from '../config.ts';
import {burst, type ErrorTally} from '../load.ts';
import type {BenchServer} from '../server-control.ts';
import {max, median, min, roundOrder} from '../stats.ts';

export interface StormRun {
	tokenCalls: number;
	succeeded: number;
	failed: number;
	hung: number;
	drainMs: number;
	peakHeapMB: number;
	/** Requests the server held at the moment of revocation (and whether its safety timeout fired instead). */
	gateHeld: number;
	gateTimedOut: boolean;
	/** Requests that reached the server with the revoked token. */
	revokedSends: number;
	apiRequests: number;
	errors: ErrorTally;
}

export interface StormSummary {
	tokenCallsMin: number;
	tokenCallsMax: number;
	tokenCallsMedian: number;
	failedMax: number;
	hungMax: number;
	drainMedianMs: number;
	peakHeapMedianMB: number;
	/** Median over rounds of drain / (token latency + 2 × that round's plain-ky time). */
	drainToFloor: number;
}

export interface StormSizeResult {
	size: number;
	hold: number;
	/** Plain ky, same C requests, valid token: ms per round. */
	floorMs: number[];
	floorMedianMs: number;
	floorPeakHeapMedianMB: number;
	/** 1.2 × (token latency + 2 × median floor). */
	drainBoundMs: number;
	runs: Partial<Record<ContenderId, StormRun[]>>;
	summary: Partial<Record<ContenderId, StormSummary>>;
}

export interface StormResult {
	tokenLatencyMs: number;
	connectionsPerOrigin: number;
	rounds: number;
	sizes: StormSizeResult[];
}

const floorId = 'floor';

export async function runStorm(config: BenchConfig, server: BenchServer, base: Omit<ContenderSetup, 'initial'>, log: (line: string) => void): Promise<StormResult> {
	const {rounds, sizes, deadlineMs, gateTimeoutMs} = config.storm;
	const latency = config.tokenLatencyMs;
	const serverConfig = {tokenLatencyMs: latency, initialLifetimeMs: 3_600_000, refreshedLifetimeS: 3600};
	const lineup: ReadonlyArray<{id: ContenderId | typeof floorId; contender: Contender}> = [
		{id: floorId, contender: contenders.ky},
		...refreshingContenders.map(contender => ({id: contender.id, contender})),
	];
	const results: StormSizeResult[] = [];
	for (const size of sizes) {
		const hold = Math.min(size, connectionsPerOrigin);
		const floorMs: number[] = [];
		const floorHeapMB: number[] = [];
		const runs: Partial<Record<ContenderId, StormRun[]>> = {};
		for (let round = 0; round < rounds; round++) {
			for (const {id, contender} of roundOrder(lineup, round)) {
				const initial = await server.reset(serverConfig);
				const client = await contender.create({...base, initial});
				if (id !== floorId) {
					await server.arm(hold, gateTimeoutMs);
				}
				collectGarbage();
				const result = await burst(client.call, size, deadlineMs);
				const stats = await server.stats();
				if (id === floorId) {
					floorMs.push(result.drainMs);
					floorHeapMB.push(result.peakHeapMB);
					if (result.failed > 0 || result.hung > 0) {
						log(`  storm C=${size}: the plain-ky floor itself failed ${result.failed} and left ${result.hung} hung`);
					}
					continue;
				}
				(runs[id] ??= []).push({
					tokenCalls: stats.tokenCalls,
					succeeded: result.succeeded,
					failed: result.failed,
					hung: result.hung,
					drainMs: result.drainMs,
					peakHeapMB: result.peakHeapMB,
					gateHeld: stats.gateHeld,
					gateTimedOut: stats.gateTimedOut,
					revokedSends: stats.revokedSends,
					apiRequests: stats.apiRequests,
					errors: result.errors,
				});
			}
			log(`  storm C=${size}: round ${round + 1}/${rounds}`);
		}
		const floorMedianMs = median(floorMs);
		const summary: Partial<Record<ContenderId, StormSummary>> = {};
		for (const [id, list] of Object.entries(runs) as Array<[ContenderId, StormRun[]]>) {
			const tokenCalls = list.map(run => run.tokenCalls);
			summary[id] = {
				tokenCallsMin: min(tokenCalls),
				tokenCallsMax: max(tokenCalls),
				tokenCallsMedian: median(tokenCalls),
				failedMax: max(list.map(run => run.failed)),
				hungMax: max(list.map(run => run.hung)),
				drainMedianMs: median(list.map(run => run.drainMs)),
				peakHeapMedianMB: median(list.map(run => run.peakHeapMB)),
				drainToFloor: median(list.map((run, index) => run.drainMs / (latency + (2 * floorMs[index]!)))),
			};
		}
		results.push({size, hold, floorMs, floorMedianMs, floorPeakHeapMedianMB: median(floorHeapMB), drainBoundMs: config.targets.drainFactor * (latency + (2 * floorMedianMs)), runs, summary});
	}
	return {tokenLatencyMs: latency, connectionsPerOrigin, rounds, sizes: results};
}
