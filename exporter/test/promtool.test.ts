/*
 * Prometheus's own linter, `promtool check metrics`, must find nothing to say about anything the
 * exporter serves: the simulate role's /metrics and node targets, the node role on every real
 * dcgm-exporter capture and on every simulated generation, and the billing role on the examples.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { DCGM_FIXTURES_DIR, EXAMPLES_DIR, SCENARIOS_DIR, makeConfig, parseStrict, scrape, serveRoles, tempDir } from './support.js';

const PROMTOOL = process.env.GPUFLEET_PROMTOOL ?? '/usr/bin/promtool';

function promtoolCheck(text: string, what: string): void {
  const run = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
  if (run.error) throw new Error(`cannot run ${PROMTOOL}: ${run.error.message}`);
  const said = `${run.stdout}${run.stderr}`.trim();
  assert.equal(said, '', `promtool check metrics complains about ${what}:\n${said}`);
  assert.equal(run.status, 0, `promtool check metrics exited ${run.status} on ${what}`);
}

describe('promtool check metrics finds nothing to report', () => {
  before(() => {
    assert.ok(
      existsSync(PROMTOOL),
      `${PROMTOOL} not found: install Prometheus's promtool (Debian package "prometheus") or set GPUFLEET_PROMTOOL`,
    );
  });

  test('the linter itself is alive: it flags a bad exposition', () => {
    const run = spawnSync(PROMTOOL, ['check', 'metrics'], { input: '# TYPE bad_total gauge\nbad_total 1\n', encoding: 'utf8' });
    assert.notEqual(`${run.stdout}${run.stderr}`.trim(), '', 'promtool accepted a gauge named _total: the check would prove nothing');
  });

  test('simulate role (default scenario): /metrics and every live node target', async (t) => {
    const dir = tempDir(t);
    const config = makeConfig({ roles: ['simulate'], simulate: { scenario: join(SCENARIOS_DIR, 'default.yaml'), billingDir: dir } });
    const { url, roles } = await serveRoles(t, config);
    promtoolCheck(await scrape(`${url}/metrics`), 'the simulate role /metrics');
    const live = [...roles.simulated!.nodes.values()].filter((n) => !n.dead);
    assert.ok(live.length > 10);
    for (const node of live) {
      const text = await scrape(`${url}/nodes/${node.name}/metrics`);
      assert.ok(parseStrict(text, node.name).some((s) => s.name === 'gpufleet_gpu_info'), `${node.name}: no GPU series`);
      promtoolCheck(text, `/nodes/${node.name}/metrics`);
    }
  });

  test('node role on every real dcgm-exporter capture and on every simulated generation', async (t) => {
    const fixtures = readdirSync(DCGM_FIXTURES_DIR).filter((f) => f.endsWith('.prom'));
    assert.ok(fixtures.length >= 6, `expected the dcgm fixtures in ${DCGM_FIXTURES_DIR}`);
    const dir = tempDir(t);
    const sim = await serveRoles(t, makeConfig({ roles: ['simulate'], simulate: { scenario: join(SCENARIOS_DIR, 'default.yaml'), billingDir: dir } }));

    const fixtureServer = createServer((req, res) => {
      const file = decodeURIComponent((req.url ?? '').slice(1));
      if (!fixtures.includes(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(readFileSync(join(DCGM_FIXTURES_DIR, file)));
    });
    await new Promise<void>((r) => fixtureServer.listen(0, '127.0.0.1', r));
    t.after(() => new Promise<void>((r) => fixtureServer.close(() => r())));
    const fixtureBase = `http://127.0.0.1:${(fixtureServer.address() as AddressInfo).port}`;

    const inputs = fixtures.map((f) => ({ what: `fixture ${f}`, dcgmUrl: `${fixtureBase}/${encodeURIComponent(f)}`, expectGpus: f !== 'server-test-empty-help.prom' }));
    // One node of each dcgm-exporter generation and field set the default scenario has.
    const seen = new Set<string>();
    for (const node of sim.roles.simulated!.nodes.values()) {
      const text = node.dcgmText(Date.now());
      const flavour = `${/\bhostname=/.test(text)}:${/_HERTZ/.test(text)}:${/PROF_SM_ACTIVE/.test(text)}:${/pci_bus_id/.test(text)}:${/GPU_I_ID/.test(text)}`;
      if (node.dead || seen.has(flavour)) continue;
      seen.add(flavour);
      inputs.push({ what: `/sim/dcgm/${node.name}`, dcgmUrl: `${sim.url}/sim/dcgm/${node.name}/metrics`, expectGpus: true });
    }
    assert.ok(seen.size >= 4, 'expected several dcgm-exporter generations in the default scenario');

    for (const input of inputs) {
      const config = makeConfig({ roles: ['node'], node: { name: 'lint-node', dcgmUrl: input.dcgmUrl, nvme: false } });
      const { url } = await serveRoles(t, config);
      const text = await scrape(`${url}/metrics`);
      const samples = parseStrict(text, input.what);
      assert.equal(samples.find((s) => s.name === 'gpufleet_source_up' && s.labels.source === 'dcgm')?.value, 1, `${input.what}: dcgm source down`);
      if (input.expectGpus) assert.ok(samples.some((s) => s.name === 'gpufleet_gpu_info'), `${input.what}: no gpufleet_gpu_info`);
      promtoolCheck(text, `the node role on ${input.what}`);
    }
  });

  test('billing role on the example price book and FOCUS export', async (t) => {
    const config = makeConfig({
      roles: ['billing'],
      billing: { priceBook: join(EXAMPLES_DIR, 'pricebook.yaml'), focus: [join(EXAMPLES_DIR, 'focus-sample.csv')] },
    });
    const { url } = await serveRoles(t, config);
    const text = await scrape(`${url}/metrics`);
    const samples = parseStrict(text, 'billing /metrics');
    assert.ok(samples.some((s) => s.name === 'gpufleet_node_gpu_hourly_cost_dollars'), 'no node prices');
    assert.equal(samples.find((s) => s.name === 'gpufleet_source_up' && s.labels.source === 'billing')?.value, 1);
    promtoolCheck(text, 'the billing role /metrics');
  });
});
