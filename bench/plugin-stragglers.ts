/*
 * How fast the plugin's Stragglers page draws a 1,000-node job, against a 16-node job in the same run.
 *
 * A real Prometheus holds one hour of straggler series (the recorded series of alerts/stragglers.rules.yml,
 * one point a minute) for two jobs, `job-16` and `job-1000`, backfilled with promtool so every node has a
 * full 60-point line. The built plugin runs in the preview host in headless Chromium. With the page open
 * on one job, the bench clicks the other job in the Workloads table and measures, in the page, the time
 * until every node's small multiple is in the DOM: the queries through the data source proxy, the
 * ranking and the render. Alternating jobs, one warm-up round, then the median of N rounds.
 *
 *   node --import tsx bench/plugin-stragglers.ts [rounds]     (default 7; builds the plugin if dist/ is missing)
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { freePort, PROMETHEUS_BIN } from '../scripts/stack.js';
import { startPreviewServer } from '../grafana-plugin/preview/server.js';
import { testIds } from '../grafana-plugin/src/components/testIds.js';
import { CHROMIUM_ARGS, ensureBuilt } from '../tests/browser/previewFixture.js';

const rounds = Number(process.argv[2] ?? 7);
const JOBS = [16, 1000];
const POINTS = 60;

/** OpenMetrics text with one hour of straggler series per job; node 3 of each job is the slow one. */
function openMetrics(endSeconds: number): string {
  const lines: string[] = [];
  const family = (name: string, rows: (t: number) => Array<[string, number]>) => {
    lines.push(`# TYPE ${name} gauge`);
    for (let p = 0; p < POINTS; p++) {
      const t = endSeconds - (POINTS - 1 - p) * 60;
      for (const [labels, value] of rows(t)) {
        lines.push(`${name}{${labels}} ${value} ${t}`);
      }
    }
  };
  const nodes = (size: number) => Array.from({ length: size }, (_, i) => `bench-${size}-${String(i).padStart(4, '0')}`);
  const sm = (i: number, t: number) => (i === 3 ? 0.55 : 0.8 + 0.02 * Math.sin(i + t / 600));
  family('node_workload:gpufleet_sm_active:ratio', (t) =>
    JOBS.flatMap((size) => nodes(size).map((node, i): [string, number] => [`cluster="bench",workload="job-${size}",node="${node}"`, sm(i, t)]))
  );
  family('node_workload:gpufleet_straggler:score', (t) =>
    JOBS.flatMap((size) => nodes(size).map((node, i): [string, number] => [`cluster="bench",workload="job-${size}",node="${node}"`, (0.8 - sm(i, t)) / 0.03]))
  );
  family('node_workload:gpufleet_straggler:flag', () =>
    JOBS.map((size): [string, number] => [`cluster="bench",workload="job-${size}",node="${nodes(size)[3]}",cause="thermal"`, 1])
  );
  family('workload:gpufleet_sm_active:median', () => JOBS.map((size): [string, number] => [`cluster="bench",workload="job-${size}"`, 0.8]));
  family('workload:gpufleet_sm_active:mad', () => JOBS.map((size): [string, number] => [`cluster="bench",workload="job-${size}"`, 0.02]));
  family('workload:gpufleet_stragglers:count', () => JOBS.map((size): [string, number] => [`cluster="bench",workload="job-${size}"`, 1]));
  family('fleet:gpufleet_stragglers:count', () => [['cluster="bench"', 2]]);
  family('fleet:gpufleet_gpus:count', () => [['cluster="bench"', 8 * 1016]]);
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  ensureBuilt();
  const work = mkdtempSync(join(tmpdir(), 'gpufleet-bench-stragglers-'));
  const end = Math.floor(Date.now() / 1000) - 60;
  writeFileSync(join(work, 'series.om'), openMetrics(end));
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(work, 'series.om'), join(work, 'data')], { stdio: 'ignore' });
  writeFileSync(join(work, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\n');
  const port = await freePort();
  const prometheus = spawn(
    PROMETHEUS_BIN,
    [`--config.file=${join(work, 'prometheus.yml')}`, `--storage.tsdb.path=${join(work, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: 'ignore' }
  );
  const promUrl = `http://127.0.0.1:${port}`;
  const preview = await (async () => {
    for (let i = 0; i < 120; i++) {
      const ok = await fetch(`${promUrl}/-/ready`).then((r) => r.ok, () => false);
      if (ok) {
        return startPreviewServer({ promUrl });
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`Prometheus at ${promUrl} did not become ready`);
  })();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const from = (end - 3600) * 1000;
    const to = (end + 30) * 1000;
    await page.goto(`${preview.url}/a/gpufleet-gpufleet-app/stragglers?workload=job-16&from=${from}&to=${to}`);
    await page.getByTestId(testIds.stragglers.multiples).waitFor({ timeout: 60_000 });

    const switchTo = async (size: number): Promise<number> => {
      const link = page.getByTestId(testIds.stragglers.workloads).getByRole('link', { name: `job-${size}` });
      await link.waitFor();
      await page.evaluate(() => ((window as unknown as { __t0: number }).__t0 = performance.now()));
      await link.click();
      const handle = await page.waitForFunction(
        ([selector, count, first]) => {
          const cells = document.querySelectorAll(selector);
          if (cells.length !== count || cells[0]?.getAttribute('data-node') !== first) {
            return false;
          }
          return performance.now() - (window as unknown as { __t0: number }).__t0;
        },
        [`[data-testid="${testIds.stragglers.multiple}"]`, size, `bench-${size}-0003`] as const,
        { polling: 'raf', timeout: 60_000 }
      );
      return (await handle.jsonValue()) as number;
    };

    const samples: Record<number, number[]> = { 16: [], 1000: [] };
    for (let round = 0; round <= rounds; round++) {
      const big = await switchTo(1000);
      const small = await switchTo(16);
      if (round > 0) {
        samples[1000]!.push(big);
        samples[16]!.push(small);
      }
    }
    // Check the cells draw whole lines, not empty paths: count the points of the last cell's line.
    await switchTo(1000);
    const points = await page.evaluate((selector) => {
      const cells = document.querySelectorAll(selector);
      const line = cells[cells.length - 1]?.querySelector('svg path:last-of-type')?.getAttribute('d') ?? '';
      return line.split(/[ML]/).filter(Boolean).length;
    }, `[data-testid="${testIds.stragglers.multiple}"]`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const max = (xs: number[]) => Math.max(...xs);
    console.log(`Stragglers page, switch to a job until every small multiple is drawn (${rounds} rounds after a warm-up):`);
    console.log('| job size | median ms | max ms | × 16-node |');
    console.log('| --- | --- | --- | --- |');
    for (const size of JOBS) {
      console.log(`| ${size} | ${median(samples[size]!).toFixed(0)} | ${max(samples[size]!).toFixed(0)} | ${(median(samples[size]!) / median(samples[16]!)).toFixed(1)} |`);
    }
    console.log(`Points per small-multiple line: ${points} (the page asks for at most 60 per node: one per 90 s over this range).`);
    const verdict = median(samples[1000]!) < 1000 ? 'within' : 'NOT within';
    console.log(`1,000-node job: ${verdict} 1 s (median ${median(samples[1000]!).toFixed(0)} ms).`);
  } finally {
    await browser.close();
    await preview.stop();
    prometheus.kill('SIGTERM');
    await new Promise((r) => prometheus.once('exit', r));
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
