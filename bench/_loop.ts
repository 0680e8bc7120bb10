// temporary (not committed)
import {contenders} from './contenders.ts';
import {startServer} from './server-control.ts';
import {limitFetchConnections, createHttpAgent, collectGarbage} from './environment.ts';
import {closedLoop} from './load.ts';
await limitFetchConnections();
const server = await startServer();
const ids = (process.argv[2] ?? 'ky,kyAuth').split(',') as (keyof typeof contenders)[];
const R = Number(process.argv[3] ?? 4);
const out: Record<string, string[]> = {};
for (let r = -1; r < R; r++) for (const id of (r % 2 ? [...ids].reverse() : ids)) {
  const initial = await server.reset({tokenLatencyMs: 50, initialLifetimeMs: 3_600_000, refreshedLifetimeS: 3600});
  const c = await contenders[id].create({origin: server.origin, tokenUrl: server.tokenUrl, initial, httpAgent: createHttpAgent()});
  collectGarbage();
  const res = await closedLoop(c.call, {total: 10000, concurrency: 64, maxMs: 30000});
  if (r >= 0) (out[id] ??= []).push(`${Math.round(res.completed / res.elapsedMs * 1000)}/${Math.round(res.cpuUs / res.completed)}`);
}
for (const id of ids) console.log(id, out[id]!.join(' '));
await server.close(); process.exit(0);
