/** Run sizes: full (`npm run bench`) and quick (`BENCH_QUICK=1 npm run bench` or `npm run bench -- --quick`). */

export interface BenchConfig {
	mode: 'full' | 'quick';
	/** Added latency of the token endpoint, ms (every scenario that refreshes). */
	tokenLatencyMs: number;
	inProcess: {rounds: number; requestsPerRound: number; warmupRequests: number};
	steady: {rounds: number; requests: number; concurrency: number; maxMsPerRun: number};
	storm: {rounds: number; sizes: number[]; deadlineMs: number; gateTimeoutMs: number};
	expiry: {rounds: number; concurrency: number; durationMs: number; initialLifetimeMs: number; refreshedLifetimeS: number; maxRequests: number};
	/** Targets from the issue. */
	targets: {steadyThroughputRatio: number; inProcessAddedUs: number; drainFactor: number; ownCodeGzipBytes: number};
}

const targets = {steadyThroughputRatio: 0.97, inProcessAddedUs: 5, drainFactor: 1.2, ownCodeGzipBytes: 4096};

export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): BenchConfig {
	const quick = argv.includes('--quick') || (env.BENCH_QUICK !== undefined && env.BENCH_QUICK !== '' && env.BENCH_QUICK !== '0');
	if (quick) {
		return {
			mode: 'quick',
			tokenLatencyMs: 50,
			inProcess: {rounds: 150, requestsPerRound: 20, warmupRequests: 1000},
			steady: {rounds: 2, requests: 2000, concurrency: 64, maxMsPerRun: 20_000},
			storm: {rounds: 2, sizes: [100, 1000], deadlineMs: 15_000, gateTimeoutMs: 5000},
			expiry: {rounds: 2, concurrency: 64, durationMs: 2000, initialLifetimeMs: 1000, refreshedLifetimeS: 60, maxRequests: 100_000},
			targets,
		};
	}
	return {
		mode: 'full',
		tokenLatencyMs: 50,
		inProcess: {rounds: 1000, requestsPerRound: 25, warmupRequests: 3000},
		steady: {rounds: 5, requests: 10_000, concurrency: 64, maxMsPerRun: 30_000},
		storm: {rounds: 5, sizes: [100, 1000, 10_000], deadlineMs: 20_000, gateTimeoutMs: 5000},
		expiry: {rounds: 5, concurrency: 64, durationMs: 3000, initialLifetimeMs: 1500, refreshedLifetimeS: 60, maxRequests: 200_000},
		targets,
	};
}
