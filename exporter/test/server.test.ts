/*
 * The simulate role served over HTTP, in-process: every route the README and Prometheus rely on.
 * The e2e scenario gets one dead node here so the 503 path has something to answer for.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FIXED_START_MS, SCENARIOS_DIR, httpGet, makeConfig, parseStrict, scrape, serveRoles, tempDir, valueOf } from './support.js';

const LIVE = 'e2e-train-02';
const DEAD = 'e2e-vm-01';

describe('simulate role over HTTP (scenario e2e, one node dead)', () => {
  test('every route answers as documented', async (t) => {
    const dir = tempDir(t);
    const scenario = join(dir, 'e2e-with-dead.yaml');
    writeFileSync(scenario, `${readFileSync(join(SCENARIOS_DIR, 'e2e.yaml'), 'utf8')}\ndead_nodes: [${DEAD}]\n`);
    const config = makeConfig({ roles: ['simulate'], simulate: { scenario, billingDir: join(dir, 'billing') } });
    // The fleet starts at the fixed instant; the routes are read 200 s later (after the scenario's XID).
    let now = FIXED_START_MS;
    const clock = () => now;
    const { url, roles } = await serveRoles(t, config, clock, { warmUp: false });
    now += 200_000;
    const nodeNames = [...roles.simulated!.nodes.keys()];
    assert.equal(nodeNames.length, 7);

    await t.test('/healthz is 200 at once', async () => {
      const res = await httpGet(`${url}/healthz`);
      assert.equal(res.status, 200);
    });

    await t.test('/readyz is 503 before the billing files were read and 200 after warm-up', async () => {
      const before = await httpGet(`${url}/readyz`);
      assert.equal(before.status, 503, before.body);
      assert.match(before.body, /billing/);
      await roles.main.collect(AbortSignal.timeout(10_000));
      const after = await httpGet(`${url}/readyz`);
      assert.equal(after.status, 200, after.body);
    });

    await t.test('/metrics has the billing contract, healthy billing and process metrics', async () => {
      const res = await httpGet(`${url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.contentType, /^text\/plain; version=0\.0\.4/);
      const samples = parseStrict(res.body, '/metrics');
      const infos = samples.filter((s) => s.name === 'gpufleet_node_info');
      assert.deepEqual(infos.map((s) => s.labels.node).sort(), [...nodeNames].sort());
      assert.deepEqual(
        samples.filter((s) => s.name === 'gpufleet_source_up' && s.labels.source === 'billing').map((s) => s.value),
        [1],
      );
      assert.equal(valueOf(samples, 'gpufleet_node_gpu_hourly_cost_dollars', { node: 'e2e-own-01' }), 1.625);
      for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds']) {
        const value = valueOf(samples, name);
        assert.ok(value !== undefined && value > 0, `${name} missing or not positive`);
      }
      assert.equal(valueOf(samples, 'gpufleet_exporter_build_info', { roles: 'simulate' }), 1);
      // GPU series belong on the node targets, not on the exporter's own /metrics.
      assert.equal(samples.filter((s) => s.name.startsWith('gpufleet_gpu_')).length, 0);
    });

    await t.test('/sd lists every node as a target with its metrics path and cluster, without a node label', async () => {
      const res = await httpGet(`${url}/sd`);
      assert.equal(res.status, 200);
      assert.match(res.contentType, /application\/json/);
      const groups = JSON.parse(res.body) as Array<{ targets: string[]; labels: Record<string, string> }>;
      assert.equal(groups.length, nodeNames.length);
      const paths = groups.map((g) => g.labels.__metrics_path__).sort();
      assert.deepEqual(paths, nodeNames.map((n) => `/nodes/${n}/metrics`).sort());
      for (const group of groups) {
        assert.deepEqual(group.targets, [new URL(url).host]);
        assert.equal(group.labels.cluster, 'e2e');
        // The node label comes from the series themselves; a target label would clash with it.
        assert.equal('node' in group.labels, false, `target labels must not carry node: ${JSON.stringify(group.labels)}`);
      }
    });

    await t.test('/nodes/<live>/metrics serves that node only', async () => {
      const res = await httpGet(`${url}/nodes/${LIVE}/metrics`);
      assert.equal(res.status, 200, res.body);
      assert.match(res.contentType, /^text\/plain; version=0\.0\.4/);
      const samples = parseStrict(res.body, `/nodes/${LIVE}/metrics`);
      const gpuInfo = samples.filter((s) => s.name === 'gpufleet_gpu_info');
      assert.equal(gpuInfo.length, 2);
      const nodesSeen = new Set(samples.filter((s) => s.labels.node !== undefined).map((s) => s.labels.node));
      assert.deepEqual([...nodesSeen], [LIVE]);
      assert.ok(samples.some((s) => s.name === 'gpufleet_nvme_read_bytes_total'), 'NVMe series missing');
      assert.deepEqual(
        samples.filter((s) => s.name === 'gpufleet_source_up').map((s) => `${s.labels.source}=${s.value}`).sort(),
        ['dcgm=1', 'nvme=1'],
      );
      // Process metrics and billing belong to /metrics only.
      assert.equal(samples.filter((s) => s.name.startsWith('process_') || s.name.startsWith('gpufleet_node_')).length, 0);
    });

    await t.test('/nodes/<dead>/metrics is 503 and unknown nodes are 404', async () => {
      assert.equal((await httpGet(`${url}/nodes/${DEAD}/metrics`)).status, 503);
      assert.equal((await httpGet(`${url}/nodes/no-such-node/metrics`)).status, 404);
      assert.equal((await httpGet(`${url}/sim/dcgm/${DEAD}/metrics`)).status, 503);
      assert.equal((await httpGet(`${url}/sim/dcgm/no-such-node/metrics`)).status, 404);
    });

    await t.test('/sim/dcgm/<node>/metrics serves dcgm-exporter text and /sim/diskstats/<node> diskstats', async () => {
      const res = await httpGet(`${url}/sim/dcgm/${LIVE}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.contentType, /^text\/plain/);
      const samples = parseStrict(res.body, `/sim/dcgm/${LIVE}/metrics`);
      assert.ok(samples.length > 20);
      assert.ok(samples.every((s) => s.name.startsWith('DCGM_')), 'only DCGM_* series expected');
      assert.ok(samples.some((s) => s.labels.UUID !== undefined && s.labels.gpu === '1'));
      // The raw input is the same text the node target parsed: same instant, same fleet.
      assert.equal(res.body, roles.simulated!.nodes.get(LIVE)!.dcgmText(clock()));

      const disk = await httpGet(`${url}/sim/diskstats/${LIVE}`);
      assert.equal(disk.status, 200);
      assert.match(disk.body, /^\s*\d+\s+\d+\s+nvme0n1 /m);
    });

    await t.test('/ links the routes', async () => {
      const body = await scrape(`${url}/`);
      assert.match(body, /\/metrics/);
      assert.match(body, new RegExp(`/nodes/${LIVE}/metrics`));
    });
  });
});
