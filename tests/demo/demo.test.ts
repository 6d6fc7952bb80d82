/*
 * README's first command: `npm run demo` brings the stack up, prints URLs that answer with data, and
 * stops everything on Ctrl-C (SIGINT).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { REPO_ROOT, freePort } from '../../scripts/stack.js';

test('npm run demo serves the simulated fleet, Prometheus with rules and the app, and stops on Ctrl-C', { timeout: 240_000 }, async () => {
  const ports = { GPUFLEET_EXPORTER_PORT: await freePort(), GPUFLEET_PROMETHEUS_PORT: await freePort(), GPUFLEET_PREVIEW_PORT: await freePort() };
  const env = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
  const demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  demo.stdout.on('data', (d: Buffer) => (output += d.toString()));
  demo.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => demo.once('exit', (code) => r(code)));

  try {
    const deadline = Date.now() + 180_000;
    while (!output.includes('Press Ctrl-C to stop.')) {
      if (demo.exitCode !== null) assert.fail(`demo exited early (${demo.exitCode}):\n${output}`);
      if (Date.now() > deadline) assert.fail(`demo did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const urls = [...output.matchAll(/^\s+(app \(plugin preview\)|Prometheus|exporter)\s+(http:\/\/\S+)/gm)].map((m) => ({ what: m[1], url: m[2] as string }));
    assert.deepEqual(urls.map((u) => u.what).sort(), ['Prometheus', 'app (plugin preview)', 'exporter'], output);

    const exporter = urls.find((u) => u.what === 'exporter')?.url as string;
    const metrics = await (await fetch(exporter)).text();
    assert.match(metrics, /^gpufleet_node_gpu_hourly_cost_dollars\{node="[^"]+"\} \d/m);

    const prom = urls.find((u) => u.what === 'Prometheus')?.url as string;
    let recorded: unknown[] = [];
    for (let i = 0; i < 60 && recorded.length === 0; i++) {
      const body = (await (await fetch(`${prom}/api/v1/query?query=fleet:gpufleet_cost:dollars_per_hour`)).json()) as { data: { result: unknown[] } };
      recorded = body.data.result;
      if (recorded.length === 0) await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(recorded.length, 1, 'Prometheus records the fleet cost from the demo fleet');

    const app = urls.find((u) => u.what === 'app (plugin preview)')?.url as string;
    const page = await fetch(app);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="root"|<script/);
  } finally {
    demo.kill('SIGINT');
  }
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 30_000))]);
  assert.equal(code, 0, `demo did not stop cleanly on SIGINT:\n${output.slice(-2000)}`);
  for (const port of Object.values(ports)) {
    await assert.rejects(fetch(`http://127.0.0.1:${port}/`), `port ${port} still answers after the demo stopped`);
  }
});
