import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { parseExposition } from '../exposition/parser.js';
import type { MetricFamily } from '../exposition/types.js';
import { createDcgmSource } from '../sources/dcgm/dcgm-source.js';
import { parseDiskstats } from '../sources/nvme/diskstats.js';
import { createNvmeSource } from '../sources/nvme/nvme-source.js';
import { createSimulatedFleet, type SimulatedFleet } from './fleet.js';
import { loadScenario, type Scenario } from './scenario.js';

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');
const START = Date.UTC(2025, 6, 14, 9);

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);
}

function samples(families: MetricFamily[], name: string) {
  return families.find((f) => f.name === name)?.samples ?? [];
}

describe('createSimulatedFleet with e2e.yaml', () => {
  let scenario: Scenario;
  let fleet: SimulatedFleet;

  before(async () => {
    scenario = await loadScenario(join(SCENARIOS, 'e2e.yaml'));
    fleet = createSimulatedFleet(scenario, { startMs: START });
  });

  it('matches the numbers documented at the top of e2e.yaml', () => {
    const e = fleet.expected(START + 10 * 60_000);
    close(e.costPerHour, 37.25, 'cost per hour');
    close(e.liveCostPerHour, 37.25, 'live cost per hour');
    close(e.usefulSum, 6.84, 'Σ useful');
    close(e.costPerUsefulGpuHour, 37.25 / 6.84, 'cost per useful GPU-hour');
    close(e.idleWaste.unallocated, 10.625, 'unallocated idle waste');
    close(e.idleWaste.allocatedIdle, 6.0, 'allocated idle waste');
    assert.deepEqual(e.stragglers, [{ workload: 'pretrain', node: 'e2e-train-03', cause: 'thermal' }]);
    assert.deepEqual(e.deadNodes, []);
    assert.deepEqual(
      e.nodes.map((n) => [n.node, n.gpuHourlyCost, n.useful]),
      [
        ['e2e-train-01', 2, [0.8, 0.8]],
        ['e2e-train-02', 2, [0.82, 0.82]],
        ['e2e-train-03', 2, [0.56, 0.56]],
        ['e2e-train-04', 2, [0.78, 0.78]],
        ['e2e-own-01', 1.625, [0.4, 0]],
        ['e2e-vm-01', 6, [0.02, 0]],
        ['e2e-spot-01', 3, [0.5, 0]],
      ],
    );
  });

  it('stays constant over time (no noise, no swing)', () => {
    const a = fleet.expected(START + 60_000);
    const b = fleet.expected(START + 7 * 3_600_000 + 12_345);
    assert.deepEqual(
      a.nodes.map((n) => n.useful),
      b.nodes.map((n) => n.useful),
    );
  });

  it('reads back through the node role: useful ratios, straggler signals, NVMe rates and the XID', async () => {
    const t = START + 5 * 60_000;
    const useful = new Map<string, number[]>();
    const throttled = new Map<string, Set<string>>();
    let xids = 0;
    for (const node of fleet.nodes) {
      const source = createDcgmSource({ node: node.name, target: `simulated://${node.name}/dcgm`, fetchText: async () => node.dcgmText(t) });
      const { families, problems } = await source.collect(new AbortController().signal);
      assert.deepEqual(problems, [], node.name);
      useful.set(
        node.name,
        samples(families, 'gpufleet_gpu_useful_ratio')
          .sort((x, y) => Number(x.labels.gpu) - Number(y.labels.gpu))
          .map((s) => s.value),
      );
      const reasons = new Set(samples(families, 'gpufleet_gpu_throttled').filter((s) => s.value === 1).map((s) => s.labels.reason!));
      throttled.set(node.name, reasons);
      xids += samples(families, 'gpufleet_gpu_xid_errors_total').reduce((sum, s) => sum + s.value, 0);
    }
    const expected = fleet.expected(t);
    for (const n of expected.nodes) assert.deepEqual(useful.get(n.node), n.useful, n.node);
    assert.ok(throttled.get('e2e-train-03')!.has('hw_thermal') && throttled.get('e2e-train-03')!.has('sw_thermal'));
    for (const name of ['e2e-train-01', 'e2e-train-02', 'e2e-train-04']) assert.ok(!throttled.get(name)!.has('hw_thermal'), name);
    assert.equal(xids, 1, 'one XID 31 by start + 5 min');

    const train = fleet.nodes.find((n) => n.name === 'e2e-train-01')!;
    let clock = t;
    const nvme = createNvmeSource({
      node: train.name,
      path: 'simulated://e2e-train-01/diskstats',
      readText: async () => train.diskstatsText(clock),
      readDeviceInfo: async (device) => train.deviceInfo(device),
    });
    const first = await nvme.collect(new AbortController().signal);
    clock = t + 60_000;
    const second = await nvme.collect(new AbortController().signal);
    const read = (c: { families: MetricFamily[] }) => samples(c.families, 'gpufleet_nvme_read_bytes_total').reduce((s, x) => s + x.value, 0);
    close(Math.round((read(second) - read(first)) / 60 / 1e4) * 1e4, 2.0003e9, 'NVMe read rate of a pretrain node');
    const info = samples(second.families, 'gpufleet_nvme_info');
    assert.equal(info.length, 2);
    assert.ok(info.every((s) => s.labels.model === 'SAMSUNG MZQL23T8HCLS-00A07' && /^S[A-Z0-9]{13}$/.test(s.labels.serial!)));
  });
});

describe('createSimulatedFleet with default.yaml', () => {
  let fleet: SimulatedFleet;

  before(async () => {
    fleet = createSimulatedFleet(await loadScenario(join(SCENARIOS, 'default.yaml')), { startMs: START });
  });

  it('exposes the cluster and flags the dead node', () => {
    assert.equal(fleet.cluster, 'demo-fleet');
    assert.equal(fleet.nodes.length, 16);
    assert.deepEqual(
      fleet.nodes.filter((n) => n.dead).map((n) => n.name),
      ['cloud-h100-04'],
    );
  });

  it('renders every node as clean exposition text and clean diskstats, through detached functions', () => {
    const t = START + 42 * 60_000;
    for (const node of fleet.nodes) {
      const { dcgmText, diskstatsText, deviceInfo } = node;
      const parsed = parseExposition(dcgmText(t), node.name);
      assert.deepEqual(parsed.errors, [], node.name);
      assert.ok(parsed.samples.length > 100, node.name);
      const disks = parseDiskstats(diskstatsText(t), node.name);
      assert.deepEqual(disks.problems, []);
      assert.ok(disks.records.length >= 2);
      for (const r of disks.records) assert.notEqual(deviceInfo(r.device).serial, '');
      assert.deepEqual(deviceInfo('sda'), { model: '', serial: '' });
    }
  });

  it('shows the nvme_stall straggler of the PyTorchJob through its pods', () => {
    const t = START + 600_000;
    const e = fleet.expected(t);
    assert.deepEqual(
      e.stragglers.map((s) => [s.workload, s.node, s.cause]),
      [
        ['llm-pretrain', 'dc1-h100-04', 'thermal'],
        ['bert-finetune', 'neo-h100-03', 'nvme_stall'],
      ],
    );
    const pods = parseExposition(fleet.nodes.find((n) => n.name === 'neo-h100-03')!.dcgmText(t), 'x').samples.map((s) => s.labels.pod);
    assert.ok(pods.includes('bert-finetune-worker-2'));
    const useful = (name: string) => e.nodes.find((n) => n.node === name)!.useful;
    const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    assert.ok(meanOf(useful('neo-h100-03')) < 0.8 * meanOf(useful('neo-h100-01')));
  });

  it('has both kinds of idle money', () => {
    const e = fleet.expected(START + 600_000);
    assert.ok(e.idleWaste.unallocated > 50);
    assert.ok(e.idleWaste.allocatedIdle > 20);
    assert.ok(e.costPerHour > e.liveCostPerHour, 'the dead node is billed but reports nothing');
  });
});

describe('large.yaml rendering time', () => {
  it('renders 1000 nodes × 8 GPUs (reported, not asserted)', async (t) => {
    const fleet = createSimulatedFleet(await loadScenario(join(SCENARIOS, 'large.yaml')), { startMs: START });
    const timings: string[] = [];
    for (let round = 0; round < 3; round++) {
      const at = START + 3_600_000 + round * 15_000;
      let bytes = 0;
      const a = performance.now();
      for (const node of fleet.nodes) bytes += node.dcgmText(at).length;
      const b = performance.now();
      for (const node of fleet.nodes) bytes += node.diskstatsText(at).length;
      const c = performance.now();
      timings.push(`round ${round}: dcgm ${(b - a).toFixed(0)} ms, diskstats ${(c - b).toFixed(0)} ms, ${(bytes / 1e6).toFixed(1)} MB`);
    }
    t.diagnostic(`large.yaml, 8000 GPUs: ${timings.join('; ')}`);
  });
});
