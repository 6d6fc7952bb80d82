/*
 * What the `node` role adds to a Prometheus scrape of an 8-GPU server, and how much memory it holds.
 *
 * A local HTTP server plays dcgm-exporter, serving the simulator's 8×H100 text (4.x generation, profiling
 * fields on). Each round scrapes dcgm-exporter directly (the baseline: what Prometheus would pay without
 * gpufleet) and then the exporter's /metrics (which itself scrapes dcgm-exporter, parses, normalises and
 * renders), interleaved so machine noise hits both alike. Reported: medians and p95 of both, the median
 * of the per-round difference, and the exporter's RSS after the run.
 *
 *   node --import tsx bench/node-scrape.ts [rounds]     (builds exporter/dist first)
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { EXPORTER_DIR, freePort } from '../scripts/stack.js';
import { createSimulatedFleet } from '../exporter/src/simulate/fleet.js';
import { loadScenario } from '../exporter/src/simulate/scenario.js';

const rounds = Number(process.argv[2] ?? 400);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

async function timedGet(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url);
  await res.text();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const scenario = await loadScenario(join(EXPORTER_DIR, 'scenarios', 'default.yaml'));
  const fleet = createSimulatedFleet(scenario, { startMs: Date.now() });
  const node = fleet.nodes.find((n) => !n.dead && /4\.\d/.test(n.dcgmVersion ?? '4')) ?? fleet.nodes[0]!;
  const dcgmText = node.dcgmText(Date.now());
  const gpuLines = dcgmText.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;

  const dcgmPort = await freePort();
  const dcgm = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(node.dcgmText(Date.now()));
  });
  await new Promise<void>((r) => dcgm.listen(dcgmPort, '127.0.0.1', r));
  const dcgmUrl = `http://127.0.0.1:${dcgmPort}/metrics`;

  // The built exporter, as users run it (tsx's on-the-fly compiler would inflate RSS).
  if (spawnSync('npm', ['run', 'build'], { cwd: EXPORTER_DIR, stdio: 'inherit' }).status !== 0) throw new Error('exporter build failed');
  const exporterPort = await freePort();
  const child = spawn(
    process.execPath,
    ['dist/main.js', '--role', 'node', '--node-name', node.name, '--dcgm-url', dcgmUrl, '--listen', `127.0.0.1:${exporterPort}`, '--log-level', 'warn'],
    { cwd: EXPORTER_DIR, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((r) => child.stdout?.on('data', (d: Buffer) => d.toString().includes('listening on') && r()));
  const exporterUrl = `http://127.0.0.1:${exporterPort}/metrics`;

  for (let i = 0; i < 50; i++) {
    await timedGet(dcgmUrl);
    await timedGet(exporterUrl);
  }
  const direct: number[] = [];
  const through: number[] = [];
  const added: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const d = await timedGet(dcgmUrl);
    const t = await timedGet(exporterUrl);
    direct.push(d);
    through.push(t);
    added.push(t - d);
  }
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
  child.kill('SIGTERM');
  dcgm.close();

  for (const a of [direct, through, added]) a.sort((x, y) => x - y);
  const fmt = (n: number) => n.toFixed(3);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}`);
  console.log(`input: ${node.name}, 8 GPUs, ${gpuLines} dcgm-exporter samples, ${dcgmText.length} bytes; ${rounds} interleaved rounds`);
  console.log('| what | median ms | p95 ms |');
  console.log('| --- | --- | --- |');
  console.log(`| dcgm-exporter scraped directly (baseline) | ${fmt(quantile(direct, 0.5))} | ${fmt(quantile(direct, 0.95))} |`);
  console.log(`| through gpufleet node role | ${fmt(quantile(through, 0.5))} | ${fmt(quantile(through, 0.95))} |`);
  console.log(`| added per scrape (per-round difference) | ${fmt(quantile(added, 0.5))} | ${fmt(quantile(added, 0.95))} |`);
  console.log(`ratio of medians (through / direct): ${(quantile(through, 0.5) / quantile(direct, 0.5)).toFixed(2)}`);
  console.log(`exporter RSS after run: ${(rssKb / 1024).toFixed(1)} MiB (peak ${(hwmKb / 1024).toFixed(1)} MiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
