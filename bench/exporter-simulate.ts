/*
 * What the simulate role costs per node target on a 1000-node × 8-GPU fleet (scenarios/large.yaml).
 *
 * In one process, for every live node of the fleet, per sweep:
 *   1. baseline: only generating the node's dcgm-exporter text (what any simulator must do);
 *   2. the node target rendered in-process: generated text → the node role's parser and normaliser,
 *      plus diskstats → NVMe counters → exposition text (no HTTP);
 *   3. the node target scraped over HTTP on loopback (/nodes/<node>/metrics), one request at a time;
 *   4. the same with 8 scrapes in flight, as Prometheus scrapes many targets at once.
 * Reported: total sweep time (median of the sweeps), per-target median and p95, ratios to the
 * baseline, bytes served, and the process's RSS. Warm-up sweep first, not counted.
 *
 *   node --import tsx bench/exporter-simulate.ts [sweeps]     (default 3 sweeps)
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { configSchema } from '../exporter/src/config.js';
import { buildRoles } from '../exporter/src/roles.js';
import { createApp } from '../exporter/src/server.js';
import { EXPORTER_DIR } from '../scripts/stack.js';

const sweeps = Number(process.argv[2] ?? 3);
const CONCURRENCY = 8;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

interface Sweep {
  totalMs: number;
  perTargetMs: number[];
  bytes: number;
}

/** Runs `work` once per name with at most `concurrency` in flight; times each call and the whole sweep. */
async function sweep(names: readonly string[], concurrency: number, work: (name: string) => Promise<number> | number): Promise<Sweep> {
  const perTargetMs: number[] = [];
  let bytes = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++] as string;
      const t0 = performance.now();
      const served = await work(name);
      bytes += served;
      perTargetMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { totalMs: performance.now() - started, perTargetMs, bytes };
}

async function main(): Promise<void> {
  if (!Number.isInteger(sweeps) || sweeps < 1) throw new Error(`sweeps must be a positive integer, got ${process.argv[2]}`);
  const config = configSchema.parse({ roles: ['simulate'], simulate: { scenario: join(EXPORTER_DIR, 'scenarios', 'large.yaml') } });
  const log = pino({ level: 'warn' });
  const built = performance.now();
  const roles = await buildRoles(config, log);
  await roles.main.collect(AbortSignal.timeout(60_000));
  const buildMs = performance.now() - built;
  const simulated = roles.simulated!;
  const live = [...simulated.nodes.values()].filter((n) => !n.dead);
  const names = live.map((n) => n.name);
  const gpus = live.length * 8;

  const server = createApp(roles, config.roles, log).listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const ways: Array<{ what: string; concurrency: number; work: (name: string) => Promise<number> | number }> = [
    { what: 'baseline: generate dcgm-exporter text only', concurrency: 1, work: (name) => simulated.nodes.get(name)!.dcgmText(Date.now()).length },
    {
      what: 'node target rendered in-process (no HTTP)',
      concurrency: 1,
      work: async (name) => (await simulated.nodes.get(name)!.target.render(AbortSignal.timeout(10_000))).length,
    },
    {
      what: 'node target scraped over HTTP, 1 in flight',
      concurrency: 1,
      work: async (name) => {
        const res = await fetch(`${base}/nodes/${name}/metrics`);
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}`);
        return body.length;
      },
    },
    {
      what: `node target scraped over HTTP, ${CONCURRENCY} in flight`,
      concurrency: CONCURRENCY,
      work: async (name) => {
        const res = await fetch(`${base}/nodes/${name}/metrics`);
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}`);
        return body.length;
      },
    },
  ];

  const results: Array<{ what: string; total: number; median: number; p95: number; bytes: number }> = [];
  for (const way of ways) {
    await sweep(names, way.concurrency, way.work); // warm-up
    const runs: Sweep[] = [];
    for (let i = 0; i < sweeps; i++) runs.push(await sweep(names, way.concurrency, way.work));
    const totals = runs.map((r) => r.totalMs).sort((a, b) => a - b);
    const perTarget = runs.flatMap((r) => r.perTargetMs).sort((a, b) => a - b);
    results.push({ what: way.what, total: quantile(totals, 0.5), median: quantile(perTarget, 0.5), p95: quantile(perTarget, 0.95), bytes: runs[0]!.bytes });
  }
  const rss = process.memoryUsage.rss() / 1024 / 1024;
  server.close();
  server.closeAllConnections();

  const baseline = results[0]!;
  const fmt = (n: number, digits = 3) => n.toFixed(digits);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}`);
  console.log(
    `fleet: scenarios/large.yaml, ${simulated.nodes.size} nodes (${live.length} live, ${gpus} GPUs); roles built and billing read in ${fmt(buildMs / 1000, 1)} s; ` +
      `${sweeps} sweeps per way after one warm-up sweep`,
  );
  console.log('| what | sweep of all live targets, s (median) | per target median ms | per target p95 ms | × baseline (sweep) | MB per sweep |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    console.log(
      `| ${r.what} | ${fmt(r.total / 1000, 2)} | ${fmt(r.median)} | ${fmt(r.p95)} | ${fmt(r.total / baseline.total, 2)} | ${fmt(r.bytes / 1e6, 1)} |`,
    );
  }
  console.log(`process RSS after the sweeps: ${fmt(rss, 1)} MiB`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
