import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CLOCK_EVENT, emptyGpuReading, FleetModel, occurrences, STRAGGLER_XID, type ModelNode } from './fleet-model.js';
import { parseScenario, type StragglerCause } from './scenario.js';

const START = Date.UTC(2025, 0, 6, 12);
const MINUTE = 60_000;

function scenarioText(options: { seed?: number; noise?: number; cause?: StragglerCause } = {}): string {
  const straggler = options.cause ? `\n    stragglers: [{ node: s-04, cause: ${options.cause}, slowdown: 0.3 }]` : '';
  return `seed: ${options.seed ?? 11}
cluster: t
noise: ${options.noise ?? 0.04}
node_groups:
  - name: g
    prefix: s
    count: 6
    model: NVIDIA H100 80GB HBM3
    gpus: 4
    dcgm: { version: "4.8", fields: dcp_sm }
    nvme: { devices: 2 }
    provider: p
    infra: bare_metal
    pricing: reserved
    team: t
    gpu_hourly_cost: 2
workloads:
  - name: job
    kind: hpc_job
    nodes: [s-01, s-02, s-03, s-04]
    useful: 0.8
    wobble: 0.1
    period_s: 600
    nvme_read_bytes_per_second: 2.0e9
    nvme_write_bytes_per_second: 1.0e8${straggler}
  - name: nb
    kind: pods
    namespace: r
    gpus: [0]
    nodes: [s-05]
    useful: 0.02
xids:
  - { node: s-02, gpu: 1, code: 31, at_s: 60, every_s: 30, count: 3 }
  - { node: s-02, gpu: 1, code: 48, at_s: 75 }
`;
}

function model(options: Parameters<typeof scenarioText>[0] = {}): FleetModel {
  return new FleetModel(parseScenario(scenarioText(options), 't.yaml'), START);
}

function node(m: FleetModel, name: string): ModelNode {
  return m.nodes.find((n) => n.name === name)!;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Average of a node's GPU readings over a long span, to see past noise and swing. */
function average(m: FleetModel, n: ModelNode, pick: (r: ReturnType<typeof emptyGpuReading>) => number): number {
  const values: number[] = [];
  const r = emptyGpuReading();
  for (let t = START; t < START + 600 * MINUTE; t += 15_000) for (const g of n.gpus) values.push(pick(m.readGpu(n, g, t, r)));
  return mean(values);
}

describe('FleetModel', () => {
  it('is deterministic for a seed and a time, in any order of evaluation', () => {
    const a = model();
    const b = model();
    const t = START + 37 * MINUTE;
    const na = node(a, 's-03');
    const nb = node(b, 's-03');
    assert.deepEqual(
      na.gpus.map((g) => g.uuid),
      nb.gpus.map((g) => g.uuid),
    );
    // b reads other times first: no hidden state may change the answer.
    b.readGpu(nb, nb.gpus[0]!, t + 5 * MINUTE, emptyGpuReading());
    b.readGpu(nb, nb.gpus[0]!, t - 5 * MINUTE, emptyGpuReading());
    assert.deepEqual(a.readGpu(na, na.gpus[0]!, t, emptyGpuReading()), b.readGpu(nb, nb.gpus[0]!, t, emptyGpuReading()));
    assert.deepEqual(a.readNvme(na, na.nvme[0]!, t), b.readNvme(nb, nb.nvme[0]!, t));
  });

  it('gives another fleet for another seed', () => {
    const a = node(model({ seed: 1 }), 's-01');
    const b = node(model({ seed: 2 }), 's-01');
    assert.notEqual(a.gpus[0]!.uuid, b.gpus[0]!.uuid);
    assert.notEqual(a.nvme[0]!.serial, b.nvme[0]!.serial);
    assert.match(a.gpus[0]!.uuid, /^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(a.gpus[1]!.pciBusId, '00000000:2A:00.0');
  });

  it('keeps every counter monotonic over time', () => {
    const m = model({ cause: 'interconnect' });
    for (const n of m.nodes) {
      let previousEnergy = -1;
      let previousReplay = -1;
      let previousRead = -1;
      let previousTicks = -1;
      for (let t = START - 10 * MINUTE; t < START + 24 * 60 * MINUTE; t += 7 * MINUTE + 13) {
        const r = m.readGpu(n, n.gpus[0]!, t, emptyGpuReading());
        assert.ok(r.energyJoules >= previousEnergy);
        assert.ok(r.pcieReplayTotal >= previousReplay);
        previousEnergy = r.energyJoules;
        previousReplay = r.pcieReplayTotal;
        const d = m.readNvme(n, n.nvme[0]!, t);
        assert.ok(d.sectorsRead >= previousRead && d.ioTimeMs >= previousTicks);
        previousRead = d.sectorsRead;
        previousTicks = d.ioTimeMs;
      }
    }
  });

  it('holds gauges to their ranges', () => {
    const m = model({ noise: 0.5 });
    const r = emptyGpuReading();
    for (const n of m.nodes) {
      for (let t = START; t < START + 120 * MINUTE; t += MINUTE) {
        for (const g of n.gpus) {
          m.readGpu(n, g, t, r);
          for (const v of [r.smActive, r.graphicsActive, r.utilization, r.tensorActive, r.dramActive, r.smOccupancy]) assert.ok(v >= 0 && v <= 1);
          assert.equal(r.fbUsedMiB + r.fbFreeMiB + r.fbReservedMiB, r.fbTotalMiB);
          assert.ok(r.powerWatts > 0 && r.powerWatts < 800);
        }
      }
    }
  });

  it('centres a job GPU on its useful ratio and leaves unallocated GPUs at zero', () => {
    const m = model();
    assert.ok(Math.abs(average(m, node(m, 's-01'), (r) => r.smActive) - 0.8) < 0.01);
    assert.equal(average(m, node(m, 's-06'), (r) => r.smActive), 0);
    const idle = m.readGpu(node(m, 's-06'), node(m, 's-06').gpus[0]!, START, emptyGpuReading());
    assert.equal(idle.clockEventMask, CLOCK_EVENT.gpuIdle);
    assert.equal(idle.fbUsedMiB, 0);
    assert.equal(idle.smClockMHz, 345);
  });

  it('keeps an allocated but idle GPU near 2 % with a context in memory', () => {
    const m = model();
    const n = node(m, 's-05');
    const r = m.readGpu(n, n.gpus[0]!, START + 3 * MINUTE, emptyGpuReading());
    assert.ok(r.smActive < 0.05);
    assert.ok(r.fbUsedMiB > 1000 && r.fbUsedMiB < 4000);
    assert.ok(r.powerWatts > 100);
  });

  it('moves all GPUs of a job in step', () => {
    const m = model({ noise: 0 });
    const t = START + 2 * MINUTE;
    const values = ['s-01', 's-02', 's-03'].map((name) => m.activity(node(m, name), node(m, name).gpus[2]!, t));
    assert.equal(new Set(values).size, 1);
    assert.notEqual(values[0], 0.8); // the swing is on
  });

  it('gives exact values without noise and swing', () => {
    const text = scenarioText({ noise: 0, cause: 'thermal' }).replace('wobble: 0.1', 'wobble: 0');
    const m = new FleetModel(parseScenario(text, 't'), START);
    const r = m.readGpu(node(m, 's-04'), node(m, 's-04').gpus[0]!, START + 5 * MINUTE, emptyGpuReading());
    assert.equal(r.smActive.toFixed(6), '0.560000');
    assert.equal(m.readGpu(node(m, 's-01'), node(m, 's-01').gpus[3]!, START + 9 * MINUTE, emptyGpuReading()).smActive, 0.8);
  });

  const causes: Array<[StragglerCause, (m: FleetModel, slow: ModelNode, peer: ModelNode) => void]> = [
    [
      'thermal',
      (m, slow, peer) => {
        const r = m.readGpu(slow, slow.gpus[0]!, START + MINUTE, emptyGpuReading());
        assert.equal(r.clockEventMask & (CLOCK_EVENT.swThermal | CLOCK_EVENT.hwThermal), CLOCK_EVENT.swThermal | CLOCK_EVENT.hwThermal);
        assert.ok(r.gpuTempC >= 86);
        assert.ok(r.smClockMHz < 0.8 * m.readGpu(peer, peer.gpus[0]!, START + MINUTE, emptyGpuReading()).smClockMHz);
      },
    ],
    [
      'power_brake',
      (m, slow) => {
        const r = m.readGpu(slow, slow.gpus[0]!, START + MINUTE, emptyGpuReading());
        assert.ok(r.clockEventMask & CLOCK_EVENT.hwPowerBrake);
        assert.ok(r.powerWatts <= 0.45 * 700 * 1.02);
      },
    ],
    [
      'hw_slowdown',
      (m, slow) => {
        const r = m.readGpu(slow, slow.gpus[0]!, START + MINUTE, emptyGpuReading());
        assert.ok(r.clockEventMask & CLOCK_EVENT.hwSlowdown);
        assert.equal(r.clockEventMask & (CLOCK_EVENT.swThermal | CLOCK_EVENT.hwThermal | CLOCK_EVENT.hwPowerBrake), 0);
      },
    ],
    [
      'nvme_stall',
      (m, slow, peer) => {
        const rate = (n: ModelNode) => n.nvme.reduce((sum, d) => sum + d.readBytesPerSecond, 0);
        assert.ok(rate(peer) > 1.9e9);
        assert.ok(rate(slow) < 0.03e9);
        assert.ok(slow.nvme[0]!.busyFraction > 0.99);
        const a = m.readNvme(slow, slow.nvme[0]!, START);
        const b = m.readNvme(slow, slow.nvme[0]!, START + MINUTE);
        assert.ok(b.ioTimeMs - a.ioTimeMs > 59_000);
        assert.equal(m.readGpu(slow, slow.gpus[0]!, START, emptyGpuReading()).clockEventMask & ~CLOCK_EVENT.swPowerCap & ~CLOCK_EVENT.gpuIdle, 0);
      },
    ],
    [
      'xid',
      (m, slow) => {
        const gpu = slow.gpus[STRAGGLER_XID.gpu]!;
        assert.deepEqual(m.xidCounts(gpu, START + 30_000, 300_000), []);
        assert.deepEqual(m.xidCounts(gpu, START + 61_000 + 600_000, 300_000), [{ code: 119, total: 3, inWindow: 1 }]);
        assert.equal(m.readGpu(slow, gpu, START + 61_000, emptyGpuReading()).lastXid, 119);
      },
    ],
    [
      'interconnect',
      (m, slow, peer) => {
        const t = START + MINUTE;
        const s = m.readGpu(slow, slow.gpus[0]!, t, emptyGpuReading());
        const p = m.readGpu(peer, peer.gpus[0]!, t, emptyGpuReading());
        assert.ok(s.nvlinkBytesPerSecond < 0.4 * p.nvlinkBytesPerSecond);
        assert.ok(s.pcieReplayTotal > 0);
        assert.equal(p.pcieReplayTotal, 0);
      },
    ],
  ];

  for (const [cause, check] of causes) {
    it(`makes a ${cause} straggler lose SM activity and show its cause`, () => {
      const m = model({ cause, noise: 0.02 });
      const slow = node(m, 's-04');
      const peer = node(m, 's-01');
      const slowSm = average(m, slow, (r) => r.smActive);
      const peerSm = average(m, peer, (r) => r.smActive);
      assert.ok(Math.abs(slowSm / peerSm - 0.7) < 0.02, `${slowSm} vs ${peerSm}`);
      check(m, slow, peer);
    });
  }

  it('schedules XIDs: last code, totals and window counts', () => {
    const m = model();
    const gpu = node(m, 's-02').gpus[1]!;
    const r = emptyGpuReading();
    assert.equal(m.readGpu(node(m, 's-02'), gpu, START + 59_000, r).lastXid, 0);
    assert.equal(m.readGpu(node(m, 's-02'), gpu, START + 61_000, r).lastXid, 31);
    assert.equal(m.readGpu(node(m, 's-02'), gpu, START + 80_000, r).lastXid, 48);
    assert.equal(m.readGpu(node(m, 's-02'), gpu, START + 95_000, r).lastXid, 31);
    assert.deepEqual(m.xidCounts(gpu, START + 95_000, 300_000), [
      { code: 31, total: 2, inWindow: 2 },
      { code: 48, total: 1, inWindow: 1 },
    ]);
    assert.deepEqual(m.xidCounts(gpu, START + 3_600_000, 300_000), [
      { code: 31, total: 3, inWindow: 0 },
      { code: 48, total: 1, inWindow: 0 },
    ]);
    assert.deepEqual(m.xidCounts(node(m, 's-01').gpus[1]!, START + 3_600_000, 300_000), []);
  });
});

describe('occurrences', () => {
  it('counts once, periodic and bounded schedules', () => {
    assert.equal(occurrences({ gpu: 0, code: 1, atS: 10 }, 9.9), 0);
    assert.equal(occurrences({ gpu: 0, code: 1, atS: 10 }, 1e9), 1);
    assert.equal(occurrences({ gpu: 0, code: 1, atS: 10, everyS: 5 }, 24.9), 3);
    assert.equal(occurrences({ gpu: 0, code: 1, atS: 10, everyS: 5, count: 2 }, 1e9), 2);
  });
});
