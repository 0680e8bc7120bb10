/** Turns the results into target verdicts and Markdown pipe tables (readable on a terminal, pasteable into docs). */
import type {BenchConfig} from './config.ts';
import {contenders, type ContenderId} from './contenders.ts';
import type {Machine} from './environment.ts';
import type {ExpiryResult} from './scenarios/expiry.ts';
import type {InProcessResult} from './scenarios/in-process.ts';
import type {SchemesResult} from './scenarios/schemes.ts';
import type {SteadyResult} from './scenarios/steady.ts';
import type {StormResult} from './scenarios/storm.ts';
import type {StoresResult} from './scenarios/stores.ts';
import type {SizeResult} from './size.ts';
import {quantile} from './stats.ts';

export interface Results {
	generatedAt: string;
	command: string;
	mode: BenchConfig['mode'];
	machine: Machine;
	config: BenchConfig;
	inProcess?: InProcessResult;
	steady?: SteadyResult;
	storm?: StormResult;
	expiry?: ExpiryResult;
	size?: SizeResult;
	stores?: StoresResult;
	schemes?: SchemesResult;
	targets: TargetVerdict[];
}

export interface TargetVerdict {
	name: string;
	target: string;
	measured: string;
	met: boolean;
}

const kyAuthIds: readonly ContenderId[] = ['kyAuth', 'kyAuthFetch'];

const label = (id: ContenderId): string => contenders[id].label;
const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const percent = (ratio: number): string => `${fixed(ratio * 100, 1)}%`;
const times = (ratio: number): string => `${fixed(ratio, 2)}×`;
const integer = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');
const kb = (bytes: number): string => `${fixed(bytes / 1024, 2)} KB`;
const verdict = (met: boolean): string => (met ? 'met' : '**MISSED**');

/** A Markdown pipe table; numbers right-aligned. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: ReadonlyArray<'l' | 'r'>): string {
	const widths = headers.map((header, column) => Math.max(header.length, ...rows.map(row => (row[column] ?? '').length)));
	const alignOf = (column: number): 'l' | 'r' => align?.[column] ?? (column === 0 ? 'l' : 'r');
	const pad = (cell: string, column: number): string => (alignOf(column) === 'l' ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!));
	const line = (cells: readonly string[]): string => `| ${cells.map((cell, column) => pad(cell, column)).join(' | ')} |`;
	const rule = `|${widths.map((width, column) => (alignOf(column) === 'l' ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
	return [line(headers), rule, ...rows.map(line)].join('\n');
}

export function judgeTargets(results: Omit<Results, 'targets'>): TargetVerdict[] {
	const {config, steady, inProcess, storm, expiry, size} = results;
	const verdicts: TargetVerdict[] = [];
	if (steady) {
		verdicts.push({
			name: 'steady: ky-auth throughput vs plain ky',
			target: `≥ ${percent(config.targets.steadyThroughputRatio)}`,
			measured: `${percent(steady.ratios.kyAuthToKy)} (median of ${steady.rounds} per-round ratios; createAuthFetch vs plain ky ${percent(steady.ratios.kyAuthFetchToKy)})`,
			met: steady.ratios.kyAuthToKy >= config.targets.steadyThroughputRatio,
		});
	}
	if (inProcess) {
		verdicts.push({
			name: 'steady in-process: µs ky-auth adds over plain ky',
			target: `≤ ${config.targets.inProcessAddedUs} µs`,
			measured: `${fixed(inProcess.added.kyAuthOverKy, 2)} µs wall, ${fixed(inProcess.addedCpu.kyAuthOverKy, 2)} µs CPU (plain ky itself: ${fixed(inProcess.medianWallUs.ky, 1)} µs)`,
			met: inProcess.added.kyAuthOverKy <= config.targets.inProcessAddedUs,
		});
	}
	if (storm) {
		for (const sized of storm.sizes) {
			for (const id of kyAuthIds) {
				const summary = sized.summary[id];
				if (!summary) {
					continue;
				}
				const oneRefresh = summary.tokenCallsMin === 1 && summary.tokenCallsMax === 1;
				const clean = summary.failedMax === 0 && summary.hungMax === 0;
				// Paired per round (each round's drain against that round's plain-ky floor), like every other ratio here.
				const fast = summary.drainToFloor <= config.targets.drainFactor;
				verdicts.push({
					name: `storm C=${sized.size}: ${label(id)}`,
					target: `1 token call, 0 failed, 0 hung, drain ≤ ${config.targets.drainFactor}× (latency + 2 × plain ky) ≈ ${integer(sized.drainBoundMs)} ms`,
					measured: `${summary.tokenCallsMin === summary.tokenCallsMax ? summary.tokenCallsMax : `${summary.tokenCallsMin}–${summary.tokenCallsMax}`} token call(s), ${summary.failedMax} failed, ${summary.hungMax} hung, drain ${integer(summary.drainMedianMs)} ms, ${times(summary.drainToFloor)} (latency + 2 × plain ky), median of per-round ratios`,
					met: oneRefresh && clean && fast,
				});
			}
		}
	}
	if (expiry) {
		for (const id of kyAuthIds) {
			const summary = expiry.summary[id];
			if (!summary) {
				continue;
			}
			verdicts.push({
				name: `expiry at load: ${label(id)}`,
				target: '0 sent with an expired token, 1 refresh',
				measured: `${summary.expiredSendsMax} expired sends, ${summary.tokenCallsMin === summary.tokenCallsMax ? summary.tokenCallsMax : `${summary.tokenCallsMin}–${summary.tokenCallsMax}`} refresh(es), ${summary.failedMax} failed`,
				met: summary.expiredSendsMax === 0 && summary.tokenCallsMin === 1 && summary.tokenCallsMax === 1 && summary.failedMax === 0,
			});
		}
	}
	if (size) {
		const own = size.entries.find(entry => entry.id === 'kyAuthOwn');
		const typical = size.entries.find(entry => entry.id === 'kyAuthTypical');
		if (own) {
			verdicts.push({
				name: 'size: ky-auth own code, min+gzip (every export)',
				target: `≤ ${kb(config.targets.ownCodeGzipBytes)}`,
				measured: `${kb(own.gzipBytes)}${typical ? ` (typical import: ${kb(typical.gzipBytes)})` : ''}`,
				met: own.gzipBytes <= config.targets.ownCodeGzipBytes,
			});
		}
	}
	return verdicts;
}

function renderTargets(verdicts: readonly TargetVerdict[]): string {
	return table(['Target', 'Wanted', 'Measured', 'Verdict'], verdicts.map(entry => [entry.name, entry.target, entry.measured, verdict(entry.met)]), ['l', 'l', 'l', 'l']);
}

function renderInProcess(result: InProcessResult): string {
	const ids: ContenderId[] = ['fetch', 'ky', 'kyAuth', 'kyAuthFetch', 'kyRecipe', 'axiosAuthRefresh'];
	const wall = result.medianWallUs;
	const cpu = result.totalCpuUs;
	const rows = ids.map(id => [
		label(id),
		fixed(wall[id], 1),
		id === 'fetch' ? '—' : fixed(wall[id] - wall.fetch, 1),
		id === 'ky' ? '—' : fixed(wall[id] - wall.ky, 1),
		fixed(cpu[id], 1),
	]);
	const summary = [
		`ky-auth client over plain ky: **${fixed(result.added.kyAuthOverKy, 2)} µs/request** wall clock, ${percent(result.added.kyAuthOverKy / wall.ky)} of plain ky's own cost (median of ${result.rounds} per-round differences; their middle half spans ${fixed(quantile(result.perRoundAdded.kyAuthOverKy, 0.25), 1)} … ${fixed(quantile(result.perRoundAdded.kyAuthOverKy, 0.75), 1)}); main-thread CPU over the whole run: ${fixed(result.addedCpu.kyAuthOverKy, 2)} µs (4 ms clock ticks: a rough check, not a measurement to the µs)`,
		`createAuthFetch over raw fetch: **${fixed(result.added.kyAuthFetchOverFetch, 2)} µs/request** (CPU ${fixed(result.addedCpu.kyAuthFetchOverFetch, 2)} µs); ky-auth client over raw fetch: ${fixed(result.added.kyAuthOverFetch, 2)} µs; plain ky over raw fetch: ${fixed(result.added.kyOverFetch, 2)} µs`,
	];
	return [
		`In-process cost (canned Response, no network; ${result.rounds} interleaved rounds × ${result.requestsPerRound} sequential requests; medians)`,
		'',
		table(['Contender', 'µs/request', 'Δ vs raw fetch', 'Δ vs plain ky', 'CPU µs/request (whole run)'], rows),
		'',
		...summary.map(line => `- ${line}`),
	].join('\n');
}

function renderSteady(result: SteadyResult): string {
	const ids: ContenderId[] = ['fetch', 'ky', 'kyAuth', 'kyAuthFetch', 'kyRecipe', 'axiosAuthRefresh'];
	const rows = ids.map(id => {
		const m = result.median[id];
		return [
			label(id),
			percent(m.throughput / result.median.ky.throughput),
			percent(m.throughput / result.median.fetch.throughput),
			integer(m.throughput),
			fixed(m.p50Ms, 2),
			fixed(m.p99Ms, 2),
			fixed(m.cpuUsPerRequest, 1),
			String(m.failed),
		];
	});
	return [
		`Steady over loopback (${integer(result.requests)} requests at concurrency ${result.concurrency}, ${result.rounds} interleaved rounds; medians)`,
		'',
		table(['Contender', 'vs plain ky', 'vs raw fetch', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'failed'], rows),
		'',
		`- ky-auth client / plain ky throughput: **${percent(result.ratios.kyAuthToKy)}** (median of per-round ratios: ${result.ratios.perRoundKyAuthToKy.map(percent).join(', ')}); ky-auth client / raw fetch: ${percent(result.ratios.kyAuthToFetch)}; createAuthFetch / raw fetch: ${percent(result.ratios.kyAuthFetchToFetch)}`,
	].join('\n');
}

function errorsOf(runs: ReadonlyArray<{errors: Record<string, number>}> | undefined): string {
	const merged: Record<string, number> = {};
	for (const run of runs ?? []) {
		for (const [key, count] of Object.entries(run.errors)) {
			merged[key] = (merged[key] ?? 0) + count;
		}
	}
	const entries = Object.entries(merged);
	return entries.length === 0 ? '' : entries.map(([key, count]) => `${key} ×${count}`).join(', ');
}

function renderStorm(result: StormResult, drainFactor: number): string {
	const parts: string[] = [
		`Revocation storm (token endpoint +${result.tokenLatencyMs} ms; ${result.rounds} rounds per size; ${result.connectionsPerOrigin} connections per pool; token calls and failures: worst round; times: medians)`,
		'',
	];
	const rows: string[][] = [];
	const notes: string[] = [];
	for (const sized of result.sizes) {
		rows.push([`**C = ${integer(sized.size)}**: plain ky, valid token (floor)`, '—', '—', '—', integer(sized.floorMedianMs), `bound ${integer(sized.drainBoundMs)} ms`, '', fixed(sized.floorPeakHeapMedianMB, 1)]);
		for (const id of ['kyAuth', 'kyAuthFetch', 'axiosAuthRefresh', 'kyRecipe'] as const) {
			const summary = sized.summary[id];
			if (!summary) {
				continue;
			}
			rows.push([
				label(id),
				summary.tokenCallsMin === summary.tokenCallsMax ? integer(summary.tokenCallsMax) : `${integer(summary.tokenCallsMin)}–${integer(summary.tokenCallsMax)}`,
				integer(summary.failedMax),
				integer(summary.hungMax),
				integer(summary.drainMedianMs),
				times(summary.drainToFloor),
				summary.drainToFloor <= drainFactor ? 'within' : 'over',
				fixed(summary.peakHeapMedianMB, 1),
			]);
			const errors = errorsOf(sized.runs[id]);
			if (errors) {
				notes.push(`C=${sized.size}, ${label(id)}: ${errors}`);
			}
		}
	}
	parts.push(table(['Contender', 'token calls', 'failed', 'hung', 'drain ms', 'drain / (latency + 2×floor), per-round median', 'vs 1.2× bound', 'peak heap MB'], rows));
	if (notes.length > 0) {
		parts.push('', 'Failures by error (all rounds):', ...notes.map(note => `- ${note}`));
	}
	return parts.join('\n');
}

function renderExpiry(result: ExpiryResult): string {
	const rows = (['kyAuth', 'kyAuthFetch', 'axiosAuthRefresh', 'kyRecipe'] as const).flatMap(id => {
		const summary = result.summary[id];
		return summary
			? [[
				label(id),
				summary.tokenCallsMin === summary.tokenCallsMax ? integer(summary.tokenCallsMax) : `${integer(summary.tokenCallsMin)}–${integer(summary.tokenCallsMax)}`,
				integer(summary.expiredSendsMax),
				integer(summary.unauthorizedMax),
				integer(summary.failedMax),
				fixed(summary.p50Ms, 2),
				fixed(summary.p99Ms, 1),
				fixed(summary.maxNearExpiryMs, 1),
				fixed(summary.maxMs, 1),
			]]
			: [];
	});
	const notes = (['kyAuth', 'kyAuthFetch', 'axiosAuthRefresh', 'kyRecipe'] as const)
		.map(id => [id, errorsOf(result.runs[id])] as const)
		.filter(([, errors]) => errors !== '')
		.map(([id, errors]) => `- ${label(id)}: ${errors}`);
	return [
		`Expiry at load (concurrency ${result.concurrency} for ${integer(result.durationMs)} ms; first token expires at ${integer(result.initialLifetimeMs)} ms; ${result.rounds} rounds; counts: worst round; latencies: medians)`,
		'',
		table(['Contender', 'refreshes', 'sent expired', '401s', 'failed', 'p50 ms', 'p99 ms', 'max ms ±500 ms of expiry', 'max ms'], rows),
		...(notes.length > 0 ? ['', 'Failures by error (all rounds):', ...notes] : []),
	].join('\n');
}

const storeLabels = {ky: 'plain ky (no auth)', memory: 'ky-auth on memoryStore', redisIoredis: 'ky-auth on redisStore (ioredis)', redisNodeRedis: 'ky-auth on redisStore (node-redis)'} as const;

function renderStores(result: StoresResult): string {
	const rows = (Object.keys(storeLabels) as Array<keyof typeof storeLabels>)
		.filter(id => result.medianWallUs[id] !== undefined)
		.map(id => [storeLabels[id], result.medianWallUs[id]!.toFixed(2), id === 'ky' ? '—' : `+${result.addedOverKy[id]!.toFixed(2)}`]);
	return [
		`Store cost in steady state (canned fetch, ${result.rounds} interleaved rounds of ${result.requestsPerRound} requests)`,
		'',
		table(['Client', 'median µs/request', 'added over plain ky, µs'], rows),
		...(result.skipped ? ['', `Redis contenders skipped: ${result.skipped}`] : []),
	].join('\n');
}

function renderSchemes(result: SchemesResult): string {
	const signed = (value: number): string => `${value >= 0 ? '+' : ''}${fixed(value, 2)}`;
	const rows = result.rows.map(row => [
			row.label,
			fixed(row.plainKyUs, 1),
			fixed(row.kyAuthUs, 1),
			`**${signed(row.addedOverKy)}**`,
			`${fixed(row.addedMiddleHalf[0], 1)} … ${fixed(row.addedMiddleHalf[1], 1)}`,
			signed(row.addedOverFetch),
		]);
	const dpopRow = result.rows.find(row => row.id === 'dpop');
	const share = dpopRow && dpopRow.addedOverKy > 0 ? ` (${percent(result.dpopProofWithTokenUs / dpopRow.addedOverKy)} of what dpop() adds over plain ky)` : '';
	return [
		`Credential schemes (canned fetch, ${result.rounds} interleaved rounds × ${result.requestsPerRound} sequential requests; plain ky sends the same credential; medians)`,
		'',
		table(['Scheme', 'plain ky µs/request', 'ky-auth µs/request', 'added over plain ky, µs', 'middle half of per-round Δ', 'ky-auth over raw fetch, µs'], rows),
		'',
		`- raw fetch with a fixed bearer header (the last column's reference): ${fixed(result.fetchUs, 1)} µs/request`,
		`- dpop().proof({method: 'GET', url}) alone: **${fixed(result.dpopProofUs, 1)} µs**; with accessToken (adds ath), as a request signs it: **${fixed(result.dpopProofWithTokenUs, 1)} µs**${share}`,
		`- plain ky with a proof signed by hand before each request (DPoP without ky-auth): ${fixed(result.dpopByHand.us, 1)} µs/request; ky-auth's dpop() over it: **${signed(result.dpopByHand.kyAuthOverByHand)} µs** (middle half ${fixed(result.dpopByHand.middleHalf[0], 1)} … ${fixed(result.dpopByHand.middleHalf[1], 1)})`,
	].join('\n');
}

function renderSize(result: SizeResult): string {
	return [
		`Size (${result.target})`,
		'',
		table(['Bundle', 'min bytes', 'min+gzip bytes', 'min+gzip'], result.entries.map(entry => [entry.label, integer(entry.minBytes), integer(entry.gzipBytes), kb(entry.gzipBytes)])),
	].join('\n');
}

export function render(results: Results): string {
	const {machine} = results;
	const sections = [
		`ky-auth benchmarks (${results.mode} run, ${results.generatedAt})`,
		`Machine: ${machine.nproc} × ${machine.cpuModel}, ${machine.memoryGB} GB, ${machine.os}, Node ${machine.node} (shared machine: absolute times drift)`,
		'',
		'Targets',
		'',
		renderTargets(results.targets),
	];
	if (results.inProcess) {
		sections.push('', renderInProcess(results.inProcess));
	}
	if (results.steady) {
		sections.push('', renderSteady(results.steady));
	}
	if (results.storm) {
		sections.push('', renderStorm(results.storm, results.config.targets.drainFactor));
	}
	if (results.expiry) {
		sections.push('', renderExpiry(results.expiry));
	}
	if (results.stores) {
		sections.push('', renderStores(results.stores));
	}
	if (results.schemes) {
		sections.push('', renderSchemes(results.schemes));
	}
	if (results.size) {
		sections.push('', renderSize(results.size));
	}
	return sections.join('\n');
}
