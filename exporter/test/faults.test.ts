/*
 * The exporter as users run it (a child process) against hostile inputs. A node role faces a
 * dcgm-exporter that hangs, stalls mid-body, answers garbage, 500 or an endless body, resets the
 * connection, and loses a GPU; a billing role faces a price book broken after a good start. Every
 * scrape must still answer in time, with the failed source's series gone and `gpufleet_source_up` 0
 * (billing: its last good prices kept, flagged), errors in the log naming where, and the process alive.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ParsedSample } from '../src/exposition/parser.js';
import { createSimulatedFleet } from '../src/simulate/fleet.js';
import { loadScenario } from '../src/simulate/scenario.js';
import { EXAMPLES_DIR, FIXED_START_MS, SCENARIOS_DIR, httpGet, parseStrict, startExporter, tempDir, valueOf } from './support.js';

const DCGM_TIMEOUT_MS = 700;
/** Collecting, rendering and answering after the dcgm read gave up; generous for a loaded CI machine. */
const MARGIN_MS = 2500;
const MAX_BYTES = 1_000_000;

type Mode = 'eight' | 'seven' | 'hang' | 'stall-body' | 'garbage' | 'error-500' | 'huge' | 'reset';

/** Scrapes /metrics of the exporter and returns the parsed samples and the time it took. */
async function scrapeExporter(url: string): Promise<{ samples: ParsedSample[]; ms: number }> {
  const res = await httpGet(`${url}/metrics`, DCGM_TIMEOUT_MS + MARGIN_MS + 5000);
  assert.equal(res.status, 200, res.body);
  return { samples: parseStrict(res.body, 'exporter /metrics'), ms: res.ms };
}

const gpuSeries = (samples: ParsedSample[]) => samples.filter((s) => s.name.startsWith('gpufleet_gpu_'));

describe('faults: the node role against a hostile dcgm-exporter', () => {
  test('every failure answers in time, drops the GPU series, says up 0, and the process lives on', async (t) => {
    // A real 8-GPU page: the default scenario's first 8-GPU node, read at a fixed instant.
    const fleet = createSimulatedFleet(await loadScenario(join(SCENARIOS_DIR, 'default.yaml')), { startMs: FIXED_START_MS });
    const chosen = fleet.scenario.nodes.find((n) => !n.dead && n.gpuCount === 8)!;
    const eight = fleet.nodes.find((n) => n.name === chosen.name)!.dcgmText(FIXED_START_MS + 60_000);
    const seven = eight
      .split('\n')
      .filter((line) => !line.includes('gpu="7"'))
      .join('\n');
    assert.ok(seven.length < eight.length && seven.includes('gpu="6"'));

    let mode: Mode = 'eight';
    const held: ServerResponse[] = [];
    const dcgm = createServer((_req, res) => {
      switch (mode) {
        case 'eight':
        case 'seven':
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(mode === 'eight' ? eight : seven);
          return;
        case 'hang':
          held.push(res); // never answered
          return;
        case 'stall-body':
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
          res.write(eight.slice(0, 5000));
          held.push(res);
          return;
        case 'garbage':
          res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>\u0000\u00ff{{{ not metrics }}}\n<p>502 Bad Gateway</p></body></html>\n');
          return;
        case 'error-500':
          res.writeHead(500).end('internal error\n');
          return;
        case 'reset':
          res.socket?.destroy();
          return;
        case 'huge': {
          // An endless, chunked (no content-length) body of valid lines: only the size limit stops it.
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
          const chunk = 'DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-x"} 40\n'.repeat(1500);
          let sent = 0;
          const pump = () => {
            while (!res.destroyed && sent < 20 * MAX_BYTES) {
              sent += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          pump();
          return;
        }
      }
    });
    await new Promise<void>((r) => dcgm.listen(0, '127.0.0.1', r));
    t.after(
      () =>
        new Promise<void>((r) => {
          for (const res of held) res.destroy();
          dcgm.close(() => r());
          dcgm.closeAllConnections();
        }),
    );
    const dcgmUrl = `http://127.0.0.1:${(dcgm.address() as AddressInfo).port}/metrics`;

    const exporter = await startExporter(t, [
      '--role', 'node',
      '--node-name', 'fault-node',
      '--dcgm-url', dcgmUrl,
      '--dcgm-timeout-ms', String(DCGM_TIMEOUT_MS),
      '--dcgm-max-bytes', String(MAX_BYTES),
      '--no-nvme',
      '--log-level', 'info',
    ]);

    const healthy = async (gpus: number) => {
      const { samples } = await scrapeExporter(exporter.url);
      assert.equal(valueOf(samples, 'gpufleet_source_up', { source: 'dcgm' }), 1);
      assert.equal(samples.filter((s) => s.name === 'gpufleet_gpu_info').length, gpus);
      return samples;
    };
    await healthy(8);

    const failures: Array<{ mode: Mode; logged: RegExp }> = [
      { mode: 'hang', logged: new RegExp(`no complete response within ${DCGM_TIMEOUT_MS} ms`) },
      { mode: 'stall-body', logged: new RegExp(`no complete response within ${DCGM_TIMEOUT_MS} ms`) },
      { mode: 'garbage', logged: /not a Prometheus text exposition/ },
      { mode: 'error-500', logged: /HTTP 500/ },
      { mode: 'huge', logged: new RegExp(`exceeds ${MAX_BYTES} bytes`) },
      { mode: 'reset', logged: /cannot connect|broken off|ECONNRESET|UND_ERR_SOCKET/ },
    ];
    for (const failure of failures) {
      await t.test(failure.mode, async () => {
        mode = failure.mode;
        const logBefore = exporter.stderr().length;
        const { samples, ms } = await scrapeExporter(exporter.url);
        assert.ok(ms < DCGM_TIMEOUT_MS + MARGIN_MS, `scrape took ${ms.toFixed(0)} ms`);
        assert.equal(valueOf(samples, 'gpufleet_source_up', { source: 'dcgm', target: dcgmUrl }), 0);
        assert.deepEqual(gpuSeries(samples), [], 'a failed dcgm read must leave no GPU series behind');
        const logged = await exporter.logSince(logBefore, failure.logged);
        assert.match(logged, failure.logged);
        assert.ok(logged.includes(dcgmUrl), 'the log names the target');
        assert.ok(exporter.alive(), 'the exporter died');
        // Back to a good page: the node comes back whole.
        mode = 'eight';
        await healthy(8);
      });
    }

    await t.test('a GPU that vanishes takes all its series with it', async () => {
      mode = 'eight';
      const before = await healthy(8);
      const lost = before.find((s) => s.name === 'gpufleet_gpu_info' && s.labels.gpu === '7')!.labels.uuid!;
      assert.ok(gpuSeries(before).filter((s) => s.labels.uuid === lost).length > 10);
      mode = 'seven';
      const after = await healthy(7);
      assert.deepEqual(gpuSeries(after).filter((s) => s.labels.uuid === lost || s.labels.gpu === '7'), []);
      assert.ok(gpuSeries(after).some((s) => s.labels.gpu === '6'));
    });

    assert.ok(exporter.alive(), 'the exporter died');
  });
});

describe('faults: the billing role with a price book broken after a good start', () => {
  test('keeps the last good prices, says up 0, logs file:line, recovers, and the process lives on', async (t) => {
    const dir = tempDir(t);
    const priceBook = join(dir, 'pricebook.yaml');
    const focus = join(dir, 'focus-sample.csv');
    copyFileSync(join(EXAMPLES_DIR, 'pricebook.yaml'), priceBook);
    copyFileSync(join(EXAMPLES_DIR, 'focus-sample.csv'), focus);
    const exporter = await startExporter(t, ['--role', 'billing', '--price-book', priceBook, '--focus', focus, '--log-level', 'info']);

    const good = await scrapeExporter(exporter.url);
    assert.equal(valueOf(good.samples, 'gpufleet_source_up', { source: 'billing' }), 1);
    const goodPrices = good.samples.filter((s) => s.name === 'gpufleet_node_gpu_hourly_cost_dollars');
    assert.ok(goodPrices.length >= 4);
    const gpuA = valueOf(good.samples, 'gpufleet_node_gpu_hourly_cost_dollars', { node: 'gpu-a-01' });
    assert.equal(gpuA, 2.49);

    const original = readFileSync(priceBook, 'utf8');
    const lines = original.split('\n');
    const priceLine = lines.findIndex((l) => l.includes('gpu_hourly_cost: 2.49'));
    assert.ok(priceLine > 0);

    const breakages = [
      { what: 'YAML syntax error', line: priceLine + 1, text: (l: string) => l.replace('gpu_hourly_cost: 2.49', 'gpu_hourly_cost: 2.49: x') },
      { what: 'negative price', line: priceLine + 1, text: (l: string) => l.replace('gpu_hourly_cost: 2.49', 'gpu_hourly_cost: -2.49') },
    ];
    for (const breakage of breakages) {
      await t.test(breakage.what, async () => {
        const broken = lines.map((l, i) => (i === priceLine ? breakage.text(l) : l)).join('\n');
        writeFileSync(priceBook, broken);
        const logBefore = exporter.stderr().length;
        const { samples } = await scrapeExporter(exporter.url);
        assert.equal(valueOf(samples, 'gpufleet_source_up', { source: 'billing' }), 0);
        assert.deepEqual(
          samples.filter((s) => s.name === 'gpufleet_node_gpu_hourly_cost_dollars'),
          goodPrices,
          'the last good prices must still be served',
        );
        const fileLine = new RegExp(`pricebook\\.yaml:${breakage.line}(:\\d+)?`);
        const logged = await exporter.logSince(logBefore, fileLine);
        assert.match(logged, fileLine, `log does not name file:line:\n${logged}`);
        assert.ok(exporter.alive(), 'the exporter died');

        // Repaired: up again, same prices.
        writeFileSync(priceBook, `${original}\n# repaired\n`);
        const repaired = await scrapeExporter(exporter.url);
        assert.equal(valueOf(repaired.samples, 'gpufleet_source_up', { source: 'billing' }), 1);
        assert.equal(valueOf(repaired.samples, 'gpufleet_node_gpu_hourly_cost_dollars', { node: 'gpu-a-01' }), 2.49);
      });
    }

    await t.test('a price book that vanishes keeps the last good prices too', async () => {
      writeFileSync(priceBook, '');
      const { samples } = await scrapeExporter(exporter.url);
      assert.equal(valueOf(samples, 'gpufleet_source_up', { source: 'billing' }), 0);
      assert.equal(valueOf(samples, 'gpufleet_node_gpu_hourly_cost_dollars', { node: 'gpu-a-01' }), 2.49);
    });
    assert.ok(exporter.alive(), 'the exporter died');
  });
});
