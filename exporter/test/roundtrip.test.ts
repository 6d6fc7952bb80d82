/*
 * The simulator round-trips through the real roles over HTTP. For every node of the e2e fleet (four
 * dcgm-exporter generations: 3.3, 4.2 behind a pod hostname, 4.8.3+ and 4.9), a `node` role reads the
 * simulator's raw dcgm-exporter page over HTTP and a diskstats file written from the simulator's
 * /proc/diskstats, and must serve exactly the GPU and NVMe series the simulator's own node target
 * serves. A `billing` role on the files the simulator wrote must price the fleet as the simulator does.
 *
 * Every role runs in this process on one frozen clock, so counters (energy, XIDs, NVMe bytes) are read
 * at the same instant on both sides and every value can be compared exactly.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ParsedSample } from '../src/exposition/parser.js';
import { createSimulatedFleet } from '../src/simulate/fleet.js';
import { loadScenario } from '../src/simulate/scenario.js';
import { FIXED_START_MS, SCENARIOS_DIR, makeConfig, parseStrict, scrape, serveRoles, seriesMap, tempDir, valueOf } from './support.js';

const SCENARIO = join(SCENARIOS_DIR, 'e2e.yaml');
/** Read after the scenario's XID (120 s) and inside dcgm-exporter's 300 s XID window. */
const READ_AT_MS = FIXED_START_MS + 200_000;

/** Entries sorted by key, so a failing deepEqual shows which series differ. */
function sorted(map: Map<string, number>): Array<[string, number]> {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const isGpu = (name: string) => name.startsWith('gpufleet_gpu_');
const isNvme = (name: string) => name.startsWith('gpufleet_nvme_');
const isBilling = (name: string) => name.startsWith('gpufleet_node_') || name.startsWith('gpufleet_reference_');

describe('simulator → real roles round trip (scenario e2e, frozen clock)', () => {
  test('a node role fed the simulated raw inputs serves the same GPU and NVMe series as the simulated node target', async (t) => {
    const dir = tempDir(t);
    let now = FIXED_START_MS;
    const clock = () => now;
    const sim = await serveRoles(t, makeConfig({ roles: ['simulate'], simulate: { scenario: SCENARIO, billingDir: join(dir, 'billing') } }), clock);
    now = READ_AT_MS;
    // An independent copy of the same fleet gives the NVMe model and serial a real /sys/block would.
    const fleet = createSimulatedFleet(await loadScenario(SCENARIO), { startMs: FIXED_START_MS });

    const nodes = [...sim.roles.simulated!.nodes.values()].filter((n) => !n.dead);
    assert.equal(nodes.length, 7);
    const generations = new Set<string>();
    for (const node of nodes) {
      await t.test(node.name, async (st) => {
        const raw = await scrape(`${sim.url}/sim/dcgm/${node.name}/metrics`);
        generations.add(/_HERTZ\{/.test(raw) ? '4.9' : /\bhostname="/.test(raw) ? '4.8.3+' : /pci_bus_id=/.test(raw) ? '4.x' : '3.x');

        const diskstats = join(dir, `${node.name}.diskstats`);
        const diskstatsText = await scrape(`${sim.url}/sim/diskstats/${node.name}`);
        writeFileSync(diskstats, diskstatsText);
        const sysBlock = join(dir, `${node.name}-sys-block`);
        const model = fleet.nodes.find((n) => n.name === node.name)!;
        for (const device of new Set(diskstatsText.match(/\bnvme\d+n\d+\b/g) ?? [])) {
          const info = model.deviceInfo(device);
          mkdirSync(join(sysBlock, device, 'device'), { recursive: true });
          writeFileSync(join(sysBlock, device, 'device', 'model'), `${info.model}\n`);
          writeFileSync(join(sysBlock, device, 'device', 'serial'), `${info.serial}\n`);
        }
        const nodeRole = await serveRoles(
          st,
          makeConfig({
            roles: ['node'],
            node: { name: node.name, dcgmUrl: `${sim.url}/sim/dcgm/${node.name}/metrics`, diskstatsPath: diskstats, sysBlockPath: sysBlock },
          }),
          clock,
          { warmUp: false },
        );

        const viaSimulator = parseStrict(await scrape(`${sim.url}/nodes/${node.name}/metrics`), `simulated ${node.name}`);
        const viaNodeRole = parseStrict(await scrape(`${nodeRole.url}/metrics`), `node role ${node.name}`);
        const up = (samples: ParsedSample[]) =>
          samples.filter((s) => s.name === 'gpufleet_source_up').map((s) => `${s.labels.source}=${s.value}`).sort();
        assert.deepEqual(up(viaNodeRole), ['dcgm=1', 'nvme=1']);
        assert.deepEqual(up(viaSimulator), ['dcgm=1', 'nvme=1']);

        const gpuSim = seriesMap(viaSimulator, isGpu);
        const gpuNode = seriesMap(viaNodeRole, isGpu);
        assert.equal(viaNodeRole.filter((s) => s.name === 'gpufleet_gpu_info').length, 2);
        assert.ok(gpuSim.size > 30, `only ${gpuSim.size} GPU series`);
        assert.deepEqual(sorted(gpuNode), sorted(gpuSim));

        const nvmeSim = seriesMap(viaSimulator, isNvme);
        const nvmeNode = seriesMap(viaNodeRole, isNvme);
        assert.ok(nvmeSim.size >= 6, `only ${nvmeSim.size} NVMe series`);
        assert.deepEqual(sorted(nvmeNode), sorted(nvmeSim));
        for (const s of viaNodeRole.filter((x) => x.name === 'gpufleet_nvme_info')) {
          assert.notEqual(s.labels.serial, '', `${node.name} ${s.labels.device}: serial not read from sysfs`);
        }
      });
    }
    assert.deepEqual([...generations].sort(), ['3.x', '4.8.3+', '4.9', '4.x']);
  });

  test('counters that moved are compared too: the XID and energy of e2e-train-02', async (t) => {
    const dir = tempDir(t);
    let now = FIXED_START_MS;
    const clock = () => now;
    const sim = await serveRoles(t, makeConfig({ roles: ['simulate'], simulate: { scenario: SCENARIO, billingDir: dir } }), clock);
    now = READ_AT_MS;
    const nodeRole = await serveRoles(
      t,
      makeConfig({ roles: ['node'], node: { name: 'e2e-train-02', dcgmUrl: `${sim.url}/sim/dcgm/e2e-train-02/metrics`, nvme: false } }),
      clock,
      { warmUp: false },
    );
    const samples = parseStrict(await scrape(`${nodeRole.url}/metrics`), 'node role e2e-train-02');
    const gpu1 = samples.find((s) => s.name === 'gpufleet_gpu_info' && s.labels.gpu === '1')!;
    assert.equal(valueOf(samples, 'gpufleet_gpu_xid_errors_total', { uuid: gpu1.labels.uuid!, xid: '31' }), 1);
    const energy = valueOf(samples, 'gpufleet_gpu_energy_joules_total', { uuid: gpu1.labels.uuid! }) ?? 0;
    assert.ok(energy > 0, 'energy counter did not move in 200 s');
  });

  test('a billing role on the files the simulator wrote prices every node as the simulator does', async (t) => {
    const dir = tempDir(t);
    const billingDir = join(dir, 'billing');
    const sim = await serveRoles(t, makeConfig({ roles: ['simulate'], simulate: { scenario: SCENARIO, billingDir } }), () => FIXED_START_MS);
    const focus = readdirSync(billingDir).filter((f) => f.endsWith('.csv'));
    assert.ok(focus.length >= 1, 'the simulator wrote no FOCUS export');
    const billing = await serveRoles(
      t,
      makeConfig({ roles: ['billing'], billing: { priceBook: join(billingDir, 'pricebook.yaml'), focus: [billingDir] } }),
    );

    const viaSimulator = parseStrict(await scrape(`${sim.url}/metrics`), 'simulate /metrics');
    const viaBilling = parseStrict(await scrape(`${billing.url}/metrics`), 'billing /metrics');
    assert.equal(valueOf(viaBilling, 'gpufleet_source_up', { source: 'billing' }), 1);
    const fromSim = seriesMap(viaSimulator, isBilling);
    const fromBilling = seriesMap(viaBilling, isBilling);
    assert.equal(viaBilling.filter((s) => s.name === 'gpufleet_node_info').length, 7);
    assert.deepEqual(sorted(fromBilling), sorted(fromSim));
    // The scenario's hand-checked prices (see the header of scenarios/e2e.yaml).
    assert.equal(valueOf(viaBilling, 'gpufleet_node_gpu_hourly_cost_dollars', { node: 'e2e-own-01' }), 1.625);
    assert.equal(valueOf(viaBilling, 'gpufleet_node_gpu_hourly_cost_dollars', { node: 'e2e-vm-01' }), 6);
    assert.equal(valueOf(viaBilling, 'gpufleet_node_gpu_hourly_cost_dollars', { node: 'e2e-train-03' }), 2);
  });
});
