/** Load drivers: every loop here is bounded by a count and by a deadline. */
import {performance} from 'node:perf_hooks';
import {getHeapStatistics} from 'node:v8';

export type Call = () => Promise<void>;

/** Error counts by constructor name (and message for plain `Error`s), for the report. */
export type ErrorTally = Record<string, number>;

function describe(error: unknown): string {
	if (error instanceof Error) {
		const code = (error as {code?: unknown}).code;
		const detail = typeof code === 'string' ? code : error.constructor === Error ? error.message : '';
		return detail ? `${error.name}(${detail})` : error.name;
	}
	return typeof error;
}

function tally(errors: ErrorTally, error: unknown): void {
	const key = describe(error);
	errors[key] = (errors[key] ?? 0) + 1;
}

export interface ClosedLoopResult {
	completed: number;
	failed: number;
	elapsedMs: number;
	/** Latency of each request in ms, in completion order. */
	latencies: Float64Array;
	/** Start time of each request relative to the run's start, ms (same index as `latencies`). */
	starts: Float64Array;
	/** Client-process CPU time (user + system) during the run, µs. */
	cpuUs: number;
	errors: ErrorTally;
}

/**
 * `concurrency` workers each send the next request when their last one settles, until `total` were
 * sent or `maxMs` passed.
 */
export async function closedLoop(call: Call, {total, concurrency, maxMs}: {total: number; concurrency: number; maxMs: number}): Promise<ClosedLoopResult> {
	const latencies = new Float64Array(total);
	const starts = new Float64Array(total);
	const errors: ErrorTally = {};
	let issued = 0;
	let done = 0;
	let failed = 0;
	const cpuBefore = process.cpuUsage();
	const t0 = performance.now();
	const deadline = t0 + maxMs;
	const worker = async (): Promise<void> => {
		while (issued < total && performance.now() < deadline) {
			issued++;
			const start = performance.now();
			try {
				await call();
			} catch (error) {
				failed++;
				tally(errors, error);
			}
			const end = performance.now();
			starts[done] = start - t0;
			latencies[done] = end - start;
			done++;
		}
	};
	await Promise.all(Array.from({length: concurrency}, worker));
	const elapsedMs = performance.now() - t0;
	const cpu = process.cpuUsage(cpuBefore);
	return {
		completed: done,
		failed,
		elapsedMs,
		latencies: latencies.subarray(0, done),
		starts: starts.subarray(0, done),
		cpuUs: cpu.user + cpu.system,
		errors,
	};
}

export interface BurstResult {
	succeeded: number;
	failed: number;
	/** Requests not settled by the deadline. */
	hung: number;
	/** From the first request sent to the last one settled (or to the deadline when some hung), ms. */
	drainMs: number;
	/** Highest (V8 heap used + external) seen during the burst, minus the value just before it, MB. */
	peakHeapMB: number;
	errors: ErrorTally;
}

function heapNow(): number {
	const heap = getHeapStatistics();
	return heap.used_heap_size + heap.external_memory;
}

/**
 * Sends `count` requests at once (all in flight together), then waits for all of them or `deadlineMs`.
 */
export async function burst(call: Call, count: number, deadlineMs: number): Promise<BurstResult> {
	const errors: ErrorTally = {};
	let succeeded = 0;
	let failed = 0;
	let settled = 0;
	let lastSettledAt = 0;
	const baseline = heapNow();
	let peak = baseline;
	const sampler = setInterval(() => {
		peak = Math.max(peak, heapNow());
	}, 5);
	const t0 = performance.now();
	let finish: () => void = () => undefined;
	const allSettled = new Promise<void>(resolve => {
		finish = resolve;
	});
	const onSettled = (): void => {
		settled++;
		lastSettledAt = performance.now();
		if (settled === count) {
			finish();
		}
	};
	for (let index = 0; index < count; index++) {
		call().then(() => {
			succeeded++;
			onSettled();
		}, (error: unknown) => {
			failed++;
			tally(errors, error);
			onSettled();
		});
	}
	peak = Math.max(peak, heapNow());
	let timer: NodeJS.Timeout | undefined;
	const timedOut = new Promise<void>(resolve => {
		timer = setTimeout(resolve, deadlineMs);
	});
	await Promise.race([allSettled, timedOut]);
	clearTimeout(timer);
	clearInterval(sampler);
	peak = Math.max(peak, heapNow());
	const hung = count - settled;
	return {
		succeeded,
		failed,
		hung,
		drainMs: (hung > 0 ? performance.now() : lastSettledAt) - t0,
		peakHeapMB: (peak - baseline) / (1024 * 1024),
		errors,
	};
}

/** Sends `count` requests one after another; returns wall-clock and main-thread CPU µs per request. */
export async function sequential(call: Call, count: number): Promise<{wallUs: number; cpuUs: number}> {
	const cpu0 = process.threadCpuUsage();
	const t0 = performance.now();
	for (let index = 0; index < count; index++) {
		await call();
	}
	const wallUs = ((performance.now() - t0) * 1000) / count;
	const cpu = process.threadCpuUsage(cpu0);
	return {wallUs, cpuUs: (cpu.user + cpu.system) / count};
}
