/**
 * `npm run bench` (builds first): ky-auth against raw fetch, plain ky, axios + axios-auth-refresh and
 * ky's README refresh recipe, side by side in one run. Prints Markdown tables and writes
 * `bench/results.json`.
 *
 *   npm run bench                      full run (≈ 5 minutes on 2 cores)
 *   npm run bench -- --quick           smoke run (also BENCH_QUICK=1)
 *   npm run bench -- --only=storm,size a subset (also BENCH_ONLY=…): size, inprocess, stores, schemes, steady, storm, expiry
 *
 * The API server runs in a child process (see server.ts); the clients run here, one contender at a time.
 */
import {writeFile} from 'node:fs/promises';
import {performance} from 'node:perf_hooks';
import {loadConfig} from './config.ts';
import {createHttpAgent, describeMachine, limitFetchConnections} from './environment.ts';
import {judgeTargets, render, type Results} from './report.ts';
import {runExpiry} from './scenarios/expiry.ts';
import {runInProcess} from './scenarios/in-process.ts';
import {runSchemes} from './scenarios/schemes.ts';
import {runSteady} from './scenarios/steady.ts';
import {runStorm} from './scenarios/storm.ts';
import {runStores} from './scenarios/stores.ts';
import {startServer} from './server-control.ts';
import {measureSizes} from './size.ts';

const scenarios = ['size', 'inprocess', 'stores', 'schemes', 'steady', 'storm', 'expiry'] as const;
type Scenario = typeof scenarios[number];

/** The whole run is bounded: past this, report what is known and stop. */
const watchdogMs = 20 * 60 * 1000;

function selected(argv: readonly string[], env: NodeJS.ProcessEnv): Set<Scenario> {
	const flag = argv.find(arg => arg.startsWith('--only='))?.slice('--only='.length) ?? env.BENCH_ONLY ?? '';
	const wanted = flag.split(',').map(entry => entry.trim().toLowerCase()).filter(Boolean);
	const unknown = wanted.filter(entry => !(scenarios as readonly string[]).includes(entry));
	if (unknown.length > 0) {
		throw new Error(`unknown scenario(s) ${unknown.join(', ')}; choose from ${scenarios.join(', ')}`);
	}
	return new Set((wanted.length > 0 ? wanted : scenarios) as Scenario[]);
}

function commandLine(quick: boolean, only: ReadonlySet<Scenario>): string {
	const flags = [...(quick ? ['--quick'] : []), ...(only.size < scenarios.length ? [`--only=${[...only].join(',')}`] : [])];
	return flags.length > 0 ? `npm run bench -- ${flags.join(' ')}` : 'npm run bench';
}

async function main(): Promise<void> {
	const argv = process.argv.slice(2);
	const config = loadConfig(argv, process.env);
	const only = selected(argv, process.env);
	const log = (line: string): void => {
		process.stderr.write(`${line}\n`);
	};
	const started = performance.now();
	const watchdog = setTimeout(() => {
		log(`bench: exceeded ${watchdogMs / 60_000} minutes, giving up`);
		process.exit(2);
	}, watchdogMs);
	watchdog.unref();

	const partial: Omit<Results, 'targets'> = {
		generatedAt: new Date().toISOString(),
		command: commandLine(config.mode === 'quick', only),
		mode: config.mode,
		machine: describeMachine(),
		config,
	};
	log(`bench: ${config.mode} run of ${[...only].join(', ')} on ${partial.machine.nproc} × ${partial.machine.cpuModel}, Node ${partial.machine.node}`);

	if (only.has('size')) {
		log('size…');
		partial.size = await measureSizes();
	}
	if (only.has('inprocess')) {
		log('in-process…');
		partial.inProcess = await runInProcess(config, log);
	}
	if (only.has('stores')) {
		log('stores…');
		partial.stores = await runStores(config, log);
	}
	if (only.has('schemes')) {
		log('schemes…');
		partial.schemes = await runSchemes(config, log);
	}
	if (only.has('steady') || only.has('storm') || only.has('expiry')) {
		await limitFetchConnections();
		const httpAgent = createHttpAgent();
		const server = await startServer();
		const base = {origin: server.origin, tokenUrl: server.tokenUrl, httpAgent};
		try {
			if (only.has('steady')) {
				log('steady…');
				partial.steady = await runSteady(config, server, base, log);
			}
			if (only.has('storm')) {
				log('storm…');
				partial.storm = await runStorm(config, server, base, log);
			}
			if (only.has('expiry')) {
				log('expiry…');
				partial.expiry = await runExpiry(config, server, base, log);
			}
		} finally {
			httpAgent.destroy();
			await server.close();
		}
	}

	const results: Results = {...partial, targets: judgeTargets(partial)};
	const path = new URL('./results.json', import.meta.url);
	await writeFile(path, `${JSON.stringify(results, null, '\t')}\n`);
	process.stdout.write(`${render(results)}\n`);
	log(`bench: done in ${((performance.now() - started) / 1000).toFixed(0)} s; results in bench/results.json`);
}

main().then(() => {
	process.exit(0);
}, (error: unknown) => {
	process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
