import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseExposition, type ParsedSample } from '../exposition/parser.js';
import { DCGM_INT64_BLANK, DcgmNodeRenderer } from './dcgm-text.js';
import { FleetModel, type ModelNode } from './fleet-model.js';
import { parseScenario } from './scenario.js';

const START = Date.UTC(2025, 2, 3, 8);

/** One node per generation, all in one job so workload labels show everywhere. */
const SCENARIO = `seed: 5
cluster: t
node_groups:
  - name: g
    prefix: n
    count: 4
    model: NVIDIA H100 80GB HBM3
    gpus: 2
    dcgm:
      - { version: "3.3", sentinel_memory_temp: true }
      - { version: "4.2", fields: dcp_sm }
      - { version: "4.8", fields: dcp_sm, hostname: exporter_pod }
      - { version: "4.9", fields: dcp_sm }
    provider: p
    infra: vm
    pricing: on_demand
    team: t
    gpu_hourly_cost: 1
  - name: k
    nodes: [k-01]
    model: NVIDIA H100 80GB HBM3
    gpus: 2
    dcgm: { version: "4.8", fields: dcp }
    provider: p
    infra: vm
    pricing: on_demand
    team: t
    gpu_hourly_cost: 1
workloads:
  - { name: train, kind: hpc_job, nodes: { group: g }, useful: 0.75 }
  - { name: nb, kind: pods, namespace: research, pod: jupyter-0, gpus: [1], nodes: [k-01], useful: 0.02 }
xids:
  - { node: n-02, gpu: 0, code: 79, at_s: 10 }
  - { node: n-03, gpu: 1, code: 13, at_s: 10, every_s: 60 }
  - { node: n-04, gpu: 0, code: 48, at_s: 10 }
`;

function fleet(): { model: FleetModel; node: (name: string) => ModelNode } {
  const model = new FleetModel(parseScenario(SCENARIO, 't.yaml'), START);
  return { model, node: (name) => model.nodes.find((n) => n.name === name)! };
}

function render(name: string, t = START + 300_000): { text: string; samples: ParsedSample[]; types: Map<string, string> } {
  const { model, node } = fleet();
  const text = new DcgmNodeRenderer(model, node(name)).render(t);
  const parsed = parseExposition(text, name);
  assert.deepEqual(parsed.errors, [], `${name} must parse cleanly`);
  return { text, samples: parsed.samples, types: parsed.types };
}

function one(samples: ParsedSample[], name: string, gpu = '0'): ParsedSample {
  const found = samples.filter((s) => s.name === name && s.labels.gpu === gpu);
  assert.equal(found.length, 1, `${name} gpu ${gpu}`);
  return found[0]!;
}

function names(samples: ParsedSample[]): Set<string> {
  return new Set(samples.map((s) => s.name));
}

describe('DcgmNodeRenderer', () => {
  it('renders valid exposition text with HELP and TYPE before every family and no duplicate series', () => {
    for (const name of ['n-01', 'n-02', 'n-03', 'n-04', 'k-01']) {
      const { text, samples, types } = render(name);
      assert.ok(text.endsWith('\n'));
      for (const s of samples) assert.ok(types.has(s.name), `${s.name} has a TYPE line`);
      const keys = samples.map((s) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`);
      assert.equal(new Set(keys).size, keys.length, `${name} has no duplicate series`);
      assert.match(text, /^# HELP DCGM_FI_DEV_SM_CLOCK(_HERTZ)? /);
    }
  });

  it('3.x: Hostname, no pci_bus_id, DCGM_FI_DRIVER_VERSION, no profiling, KB counters, sentinel', () => {
    const { samples } = render('n-01');
    const clock = one(samples, 'DCGM_FI_DEV_SM_CLOCK');
    assert.deepEqual(Object.keys(clock.labels), ['gpu', 'UUID', 'device', 'modelName', 'Hostname', 'DCGM_FI_DRIVER_VERSION', 'hpc_job']);
    assert.equal(clock.labels.Hostname, 'n-01');
    assert.equal(clock.labels.DCGM_FI_DRIVER_VERSION, '535.129.03');
    assert.equal(clock.labels.hpc_job, 'train');
    const present = names(samples);
    assert.ok(present.has('DCGM_FI_DEV_PCIE_TX_THROUGHPUT') && present.has('DCGM_FI_DEV_CLOCK_THROTTLE_REASONS'));
    assert.ok(![...present].some((n) => n.startsWith('DCGM_FI_PROF_') || n.startsWith('DCGM_EXP_')));
    assert.ok(one(samples, 'DCGM_FI_DEV_GPU_UTIL').value >= 80);
    assert.ok(one(samples, 'DCGM_FI_DEV_MEMORY_TEMP').value > 9e18);
  });

  it('prints the no-data sentinel digit for digit', () => {
    const { text } = render('n-01');
    assert.ok(text.includes(`} ${DCGM_INT64_BLANK}\n`));
  });

  it('4.2: Hostname with pci_bus_id, profiling and SM fields, windowed XID counts', () => {
    const { samples, types } = render('n-02');
    const sm = one(samples, 'DCGM_FI_PROF_SM_ACTIVE');
    assert.deepEqual(Object.keys(sm.labels), ['gpu', 'UUID', 'pci_bus_id', 'device', 'modelName', 'Hostname', 'DCGM_FI_DRIVER_VERSION', 'hpc_job']);
    assert.equal(sm.labels.pci_bus_id, '00000000:18:00.0');
    assert.ok(sm.value > 0.5 && sm.value <= 1);
    assert.ok(one(samples, 'DCGM_FI_PROF_GR_ENGINE_ACTIVE').value >= sm.value);
    const xid = one(samples, 'DCGM_FI_DEV_XID_ERRORS');
    assert.equal(xid.value, 79);
    assert.equal(xid.labels.err_code, '79');
    assert.equal(xid.labels.err_msg, 'GPU has fallen off the bus');
    const counts = samples.filter((s) => s.name === 'DCGM_EXP_XID_ERRORS_COUNT');
    assert.deepEqual(
      counts.map((s) => [s.labels.gpu, s.labels.xid, s.labels.window_size_in_ms, s.value]),
      [
        ['0', '79', '300000', 1],
        ['1', undefined, '300000', 0],
      ],
    );
    assert.equal(types.get('DCGM_EXP_XID_ERRORS_COUNT'), 'gauge');
  });

  it('4.8.3+: lowercase hostname from the exporter pod, FB_RESERVED, cumulative XID totals', () => {
    const { samples, types } = render('n-03', START + 10 * 60_000);
    const used = one(samples, 'DCGM_FI_DEV_FB_USED');
    assert.ok('hostname' in used.labels && !('Hostname' in used.labels));
    assert.match(used.labels.hostname!, /^dcgm-exporter-[a-z0-9]{5}$/);
    assert.ok(names(samples).has('DCGM_FI_DEV_FB_RESERVED'));
    assert.ok(names(samples).has('DCGM_FI_DEV_CLOCKS_EVENT_REASONS'));
    const totals = samples.filter((s) => s.name === 'DCGM_EXP_XID_ERRORS_TOTAL');
    assert.deepEqual(
      totals.map((s) => [s.labels.gpu, s.labels.xid, s.value]),
      [['1', '13', 10]],
    );
    assert.equal(types.get('DCGM_EXP_XID_ERRORS_TOTAL'), 'counter');
  });

  it('4.9: renamed fields, base units and DCGM_FI_SYSTEM_DRIVER_VERSION', () => {
    const { model, node } = fleet();
    const t = START + 300_000;
    const legacy = parseExposition(new DcgmNodeRenderer(model, node('n-03')).render(t), 'a').samples;
    const modern = render('n-04', t).samples;
    const present = names(modern);
    for (const old of ['DCGM_FI_DEV_SM_CLOCK', 'DCGM_FI_DEV_GPU_TEMP', 'DCGM_FI_DEV_POWER_USAGE', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_PROF_SM_ACTIVE', 'DCGM_FI_DEV_XID_ERRORS']) {
      assert.ok(!present.has(old), `${old} is renamed in 4.9`);
    }
    const clock = one(modern, 'DCGM_FI_DEV_SM_CLOCK_HERTZ');
    assert.ok(clock.value > 1e9, 'hertz');
    assert.equal(clock.labels.DCGM_FI_SYSTEM_DRIVER_VERSION, '580.82.07');
    assert.ok(!('DCGM_FI_DRIVER_VERSION' in clock.labels));
    assert.equal(clock.labels.hostname, 'n-04');
    const utilRatio = one(modern, 'DCGM_FI_DEV_GPU_UTIL_RATIO').value;
    assert.ok(utilRatio > 0 && utilRatio <= 1);
    // Same workload on a 4.8 node: only the units differ.
    const usedBytes = one(modern, 'DCGM_FI_DEV_FB_USED_BYTES').value;
    assert.equal(usedBytes, one(legacy, 'DCGM_FI_DEV_FB_USED').value * 1024 * 1024);
    assert.equal(one(modern, 'DCGM_FI_DEV_FB_CAPACITY_BYTES').value, 81559 * 1024 * 1024);
    const energyJ = one(modern, 'DCGM_FI_DEV_GPU_ENERGY_JOULES_TOTAL').value;
    assert.ok(energyJ > 1e6 && energyJ < 1e10, 'joules, not millijoules');
    assert.ok(one(modern, 'DCGM_FI_DEV_NVLINK_THROUGHPUT_TOTAL').value > 1e9, 'bytes per second');
    assert.ok(one(legacy, 'DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL').value < 1e6, 'MB/s');
    for (const n of ['DCGM_FI_PROF_SM_UTIL_RATIO', 'DCGM_FI_PROF_GR_ENGINE_UTIL_RATIO', 'DCGM_FI_PROF_TENSOR_UTIL_RATIO', 'DCGM_FI_PROF_DRAM_UTIL_RATIO']) {
      assert.ok(present.has(n), n);
    }
    const xid = one(modern, 'DCGM_FI_DEV_XID_ERROR');
    assert.equal(xid.value, 48);
    assert.deepEqual(
      modern.filter((s) => s.name === 'DCGM_EXP_XID_ERRORS_TOTAL').map((s) => [s.labels.gpu, s.labels.xid, s.value]),
      [['0', '48', 1]],
    );
  });

  it('labels pods with container, namespace and pod, and leaves unallocated GPUs bare', () => {
    const { samples } = render('k-01');
    const idle = one(samples, 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', '0');
    const held = one(samples, 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', '1');
    assert.ok(!('pod' in idle.labels) && !('hpc_job' in idle.labels));
    assert.equal(idle.value, 0);
    assert.deepEqual([held.labels.container, held.labels.namespace, held.labels.pod], ['main', 'research', 'jupyter-0']);
    assert.ok(held.value > 0 && held.value < 0.05);
    assert.ok(!names(samples).has('DCGM_FI_PROF_SM_ACTIVE'), 'the dcp field set has no SM activity');
    // err_code and err_msg sort between container and namespace, as dcgm-exporter prints them.
    const { text } = render('k-01');
    assert.match(text, /DCGM_FI_DEV_XID_ERRORS\{[^}]*,container="main",err_code="0",err_msg="No Error",namespace="research",pod="jupyter-0"\} 0/);
  });

  it('keeps counters monotonic from scrape to scrape', () => {
    const { model, node } = fleet();
    const renderer = new DcgmNodeRenderer(model, node('n-04'));
    let previous = new Map<string, number>();
    for (let t = START; t < START + 3_600_000; t += 15_000) {
      const current = new Map<string, number>();
      for (const s of parseExposition(renderer.render(t), 'x').samples) {
        if (!s.name.endsWith('_TOTAL')) continue;
        const key = `${s.name}/${s.labels.gpu}/${s.labels.xid ?? ''}`;
        current.set(key, s.value);
        const before = previous.get(key);
        if (before !== undefined) assert.ok(s.value >= before, `${key} went from ${before} to ${s.value}`);
      }
      previous = current;
    }
  });

  it('is identical for identical inputs', () => {
    const a = fleet();
    const b = fleet();
    const t = START + 123_456;
    assert.equal(new DcgmNodeRenderer(a.model, a.node('n-03')).render(t), new DcgmNodeRenderer(b.model, b.node('n-03')).render(t));
  });
});
