/*
 * What the `node` role adds to a Prometheus scrape of an 8-GPU server, and how much memory it holds.
 *
 * A local HTTP server plays dcgm-exporter, serving the simulator's 8×H100 text (4.x generation, SM
 * profiling fields on, a pod on most GPUs). Each round scrapes dcgm-exporter directly (the baseline:
 * what Prometheus would pay without gpufleet) and then the exporter's /metrics (which itself scrapes
 * dcgm-exporter, parses, normalises, reads /proc/diskstats and renders), so machine noise hits both alike.
 *
 * Two phases, one exporter process:
 *   1. cadence: rounds one second apart, as a Prometheus with a short scrape interval would send them;
 *   2. stress: warm-up rounds, then rounds back to back.
 * Reported per phase: medians and p95 of both, the median of the per-round difference, the ratio of the
 * medians, the exporter's CPU time per scrape, and its RSS after start-up, after each phase and at peak.
 *
 * The exporter runs from exporter/dist (built here with `npm run build`), as users run it: tsx's
 * on-the-fly compiler would inflate both time and memory.
 *
 *   node --import tsx bench/node-scrape.ts [stress rounds] [cadence rounds]    (defaults 400 and 60)
 *
 * The exporter is started with the Node.js flags of its own `#!` line (as the installed bin starts it;
 * the container passes the same through NODE_OPTIONS). EXPORTER_NODE_FLAGS="--max-semi-space-size=4"
 * starts it with those flags instead (EXPORTER_NODE_FLAGS="" with none), to compare heap settings.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSimulatedFleet } from '../exporter/src/simulate/fleet.js';
import { loadScenario } from '../exporter/src/simulate/scenario.js';
import { EXPORTER_DIR } from '../scripts/stack.js';

const stressRounds = Number(process.argv[2] ?? 400);
const cadenceRounds = Number(process.argv[3] ?? 60);
const CADENCE_MS = 1000;
const WARM_UP_ROUNDS = 50;
const TARGET_ADDED_MS = 5;
const TARGET_RSS_MB = 80;
const MIB_PER_MB = 1e6 / 2 ** 20;
const CLOCK_TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** The flags `#!/usr/bin/env -S node <flags>` gives, or EXPORTER_NODE_FLAGS when set. */
function exporterNodeFlags(mainJs: string): string[] {
  const shebang = readFileSync(mainJs, 'utf8').split('\n', 1)[0] ?? '';
  const fromShebang = /^#!\S*env -S node\b(.*)$/.exec(shebang)?.[1] ?? '';
  return (process.env.EXPORTER_NODE_FLAGS ?? fromShebang).split(' ').filter((f) => f !== '');
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

async function timedGet(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url);
  await res.text();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return performance.now() - started;
}

/** Resident and peak memory of a process, MiB, from /proc (Linux only). */
function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** User + system CPU seconds a process has used, from /proc (Linux only). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** Resolves with the bound address once the exporter prints its `listening on` line; rejects if it exits. */
function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`exporter exited with code ${code} before listening`)));
    setTimeout(() => reject(new Error('exporter did not start within 30 s')), 30_000).unref();
  });
}

interface Phase {
  direct: number[];
  through: number[];
  added: number[];
  cpuPerScrapeMs: number;
  /** Highest RSS seen right after a round, MiB. */
  maxRss: number;
}

/** `rounds` interleaved rounds, `gapMs` apart (0: back to back), timing both ways and the exporter's CPU. */
async function runPhase(pid: number, dcgmUrl: string, exporterUrl: string, rounds: number, gapMs: number): Promise<Phase> {
  const phase: Phase = { direct: [], through: [], added: [], cpuPerScrapeMs: 0, maxRss: 0 };
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    if (gapMs > 0) await sleep(Math.max(0, started + i * gapMs - performance.now()));
    const d = await timedGet(dcgmUrl);
    const t = await timedGet(exporterUrl);
    phase.direct.push(d);
    phase.through.push(t);
    phase.added.push(t - d);
    if (gapMs > 0 || i % 50 === 49) phase.maxRss = Math.max(phase.maxRss, memoryMiB(pid).rss);
  }
  // CPU the exporter spent per scrape: unlike wall time, barely moved by other load on the machine.
  // At a cadence this includes whatever the process does while idle between scrapes.
  phase.cpuPerScrapeMs = ((cpuSeconds(pid) - cpuBefore) / rounds) * 1000;
  for (const a of [phase.direct, phase.through, phase.added]) a.sort((x, y) => x - y);
  return phase;
}

function printPhase(title: string, phase: Phase): void {
  const fmt = (n: number) => n.toFixed(3);
  const row = (what: string, values: number[]) => console.log(`| ${title} | ${what} | ${fmt(quantile(values, 0.5))} | ${fmt(quantile(values, 0.95))} |`);
  row('dcgm-exporter scraped directly (baseline)', phase.direct);
  row('through gpufleet node role', phase.through);
  row('added per scrape (per-round difference)', phase.added);
}

function verdict(met: boolean): string {
  return met ? 'met' : 'NOT met';
}

async function main(): Promise<void> {
  for (const [what, n] of [['stress rounds', stressRounds], ['cadence rounds', cadenceRounds]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be a positive integer, got ${n}`);
  }
  const scenario = await loadScenario(join(EXPORTER_DIR, 'scenarios', 'default.yaml'));
  const fleet = createSimulatedFleet(scenario, { startMs: Date.now() });
  const chosen = scenario.nodes.find((n) => !n.dead && n.gpuCount === 8 && n.dcgm.version.startsWith('4') && n.dcgm.fields === 'dcp_sm');
  if (chosen === undefined) throw new Error('default scenario has no live 8-GPU node on dcgm-exporter 4.x');
  const node = fleet.nodes.find((n) => n.name === chosen.name)!;
  const sampleText = node.dcgmText(Date.now());
  const dcgmSamples = sampleText.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;

  const dcgm = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(node.dcgmText(Date.now()));
  });
  await new Promise<void>((r) => dcgm.listen(0, '127.0.0.1', r));
  const dcgmAddress = dcgm.address();
  if (typeof dcgmAddress !== 'object' || dcgmAddress === null) throw new Error('dcgm stand-in has no address');
  const dcgmUrl = `http://127.0.0.1:${dcgmAddress.port}/metrics`;

  const build = spawnSync('npm', ['run', 'build'], { cwd: EXPORTER_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('exporter build failed (npm run build in exporter/)');
  const nodeFlags = exporterNodeFlags(join(EXPORTER_DIR, 'dist', 'main.js'));
  const child = spawn(
    process.execPath,
    [...nodeFlags, 'dist/main.js', '--role', 'node', '--node-name', node.name, '--dcgm-url', dcgmUrl, '--listen', '127.0.0.1:0', '--log-level', 'warn'],
    { cwd: EXPORTER_DIR, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const exporterUrl = `http://${await waitForListening(child)}/metrics`;
    const pid = child.pid!;
    const startup = memoryMiB(pid);

    const cadence = await runPhase(pid, dcgmUrl, exporterUrl, cadenceRounds, CADENCE_MS);
    const afterCadence = memoryMiB(pid);
    const exporterBody = await (await fetch(exporterUrl)).text();
    const exporterSamples = exporterBody.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;

    await runPhase(pid, dcgmUrl, exporterUrl, WARM_UP_ROUNDS, 0);
    const stress = await runPhase(pid, dcgmUrl, exporterUrl, stressRounds, 0);
    const afterStress = memoryMiB(pid);

    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}`);
    console.log(`exporter: node ${[...nodeFlags, 'dist/main.js'].join(' ')} --role node (NVMe from this machine's /proc/diskstats)`);
    console.log(
      `input: ${node.name} (dcgm-exporter ${chosen.dcgm.version}, ${chosen.dcgm.fields}), 8 GPUs, ${dcgmSamples} dcgm-exporter samples, ` +
        `${sampleText.length} bytes; exporter /metrics ${exporterSamples} samples, ${exporterBody.length} bytes`,
    );
    console.log(`phases: cadence = ${cadenceRounds} rounds ${CADENCE_MS} ms apart; stress = ${WARM_UP_ROUNDS} warm-up + ${stressRounds} rounds back to back`);
    console.log('');
    console.log('| phase | what | median ms | p95 ms |');
    console.log('| --- | --- | --- | --- |');
    printPhase('cadence', cadence);
    printPhase('stress', stress);
    console.log('');
    const ratio = (p: Phase) => (quantile(p.through, 0.5) / quantile(p.direct, 0.5)).toFixed(2);
    console.log('| | cadence | stress |');
    console.log('| --- | --- | --- |');
    console.log(`| ratio of medians (through / direct) | ${ratio(cadence)} | ${ratio(stress)} |`);
    console.log(`| exporter CPU per scrape, ms (user + system, /proc) | ${cadence.cpuPerScrapeMs.toFixed(2)} | ${stress.cpuPerScrapeMs.toFixed(2)} |`);
    console.log(`| exporter RSS at the end of the phase, MiB | ${afterCadence.rss.toFixed(1)} | ${afterStress.rss.toFixed(1)} |`);
    console.log(`| highest RSS seen during the phase, MiB | ${cadence.maxRss.toFixed(1)} | ${stress.maxRss.toFixed(1)} |`);
    console.log('');
    const targetMiB = TARGET_RSS_MB * MIB_PER_MB;
    console.log(
      `exporter RSS after start-up: ${startup.rss.toFixed(1)} MiB; peak RSS (VmHWM) at start-up ${startup.peak.toFixed(1)} MiB, ` +
        `by the end of the cadence phase ${afterCadence.peak.toFixed(1)} MiB, of the whole run ${afterStress.peak.toFixed(1)} MiB`,
    );
    const addedMedian = quantile(stress.added, 0.5);
    console.log(`target added per scrape < ${TARGET_ADDED_MS} ms (stress median ${addedMedian.toFixed(3)} ms): ${verdict(addedMedian < TARGET_ADDED_MS)}`);
    console.log(
      `target RSS < ${TARGET_RSS_MB} MB (${targetMiB.toFixed(1)} MiB): after start-up ${verdict(startup.rss < targetMiB)}; ` +
        `at a ${CADENCE_MS / 1000} s cadence (peak so far) ${verdict(afterCadence.peak < targetMiB)}; under back-to-back stress (peak) ${verdict(afterStress.peak < targetMiB)}`,
    );
  } finally {
    child.kill('SIGTERM');
    dcgm.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
