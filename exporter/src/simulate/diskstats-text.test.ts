import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { NvmeCounterTracker } from '../sources/nvme/counters.js';
import { parseDiskstats } from '../sources/nvme/diskstats.js';
import { renderDiskstats } from './diskstats-text.js';
import { FleetModel } from './fleet-model.js';
import { parseScenario } from './scenario.js';

const START = Date.UTC(2025, 3, 1);

function fleet(fields: 14 | 18 | 20, devices = 3, stall = false): { model: FleetModel; render: (name: string, t: number) => string } {
  const scenario = parseScenario(
    `seed: 3
cluster: t
node_groups:
  - name: g
    prefix: n
    count: 3
    model: NVIDIA H100 80GB HBM3
    dcgm: { version: "4.8" }
    diskstats_fields: ${fields}
    nvme: { devices: ${devices}, model: Test NVMe }
    provider: p
    infra: bare_metal
    pricing: reserved
    team: t
    gpu_hourly_cost: 2
workloads:
  - name: j
    kind: hpc_job
    nodes: { group: g }
    useful: 0.8
    nvme_read_bytes_per_second: 3.0e9
    nvme_write_bytes_per_second: 3.0e8
    stragglers: ${stall ? '[{ node: n-03, cause: nvme_stall }]' : '[]'}
`,
    't.yaml',
  );
  const model = new FleetModel(scenario, START);
  return { model, render: (name, t) => renderDiskstats(model, model.nodes.find((n) => n.name === name)!, t) };
}

describe('renderDiskstats', () => {
  for (const fields of [14, 18, 20] as const) {
    it(`writes ${fields}-field lines that the node parser reads back, keeping only whole namespaces`, () => {
      const { render } = fleet(fields);
      const text = render('n-01', START + 60_000);
      for (const line of text.trimEnd().split('\n')) assert.equal(line.trim().split(/\s+/).length, fields, line);
      assert.match(text, / nvme0n1p1 /);
      assert.match(text, / loop0 /);
      assert.match(text, / sda1 /);
      const { records, problems } = parseDiskstats(text, 'simulated://n-01/diskstats');
      assert.deepEqual(problems, []);
      assert.deepEqual(
        records.map((r) => r.device),
        ['nvme0n1', 'nvme1n1', 'nvme2n1'],
      );
    });
  }

  it('aligns major and minor numbers as the kernel does', () => {
    const { render } = fleet(20);
    assert.match(render('n-01', START), /^ {3}7 {7}0 loop0 /);
    assert.match(render('n-01', START), /\n 259 {7}0 nvme0n1 /);
  });

  it('reads at the workload rate: bytes over a minute through the parser and the tracker', () => {
    const { render } = fleet(20);
    const tracker = new NvmeCounterTracker();
    const at = (t: number) => tracker.observe(parseDiskstats(render('n-01', t), 'd').records);
    const before = at(START + 600_000);
    const after = at(START + 660_000);
    const read = after.reduce((s, c) => s + c.readBytes, 0) - before.reduce((s, c) => s + c.readBytes, 0);
    const written = after.reduce((s, c) => s + c.writtenBytes, 0) - before.reduce((s, c) => s + c.writtenBytes, 0);
    // 3.0e9 B/s of job reads plus 150 kB/s of background per device, for 60 s.
    assert.ok(Math.abs(read / 60 - (3.0e9 + 3 * 150_000)) < 1e4, String(read / 60));
    assert.ok(Math.abs(written / 60 - (3.0e8 + 3 * 900_000)) < 1e4, String(written / 60));
  });

  it('shows a stalled device busy and nearly silent next to its peers', () => {
    const { render } = fleet(20, 2, true);
    const rate = (name: string) => {
      const tracker = new NvmeCounterTracker();
      const a = tracker.observe(parseDiskstats(render(name, START), 'd').records);
      const b = tracker.observe(parseDiskstats(render(name, START + 60_000), 'd').records);
      return {
        read: (b[0]!.readBytes - a[0]!.readBytes) / 60,
        busy: (b[0]!.ioTimeSeconds - a[0]!.ioTimeSeconds) / 60,
      };
    };
    const healthy = rate('n-01');
    const stalled = rate('n-03');
    assert.ok(healthy.read > 1e9);
    assert.ok(stalled.read < 0.03e9);
    assert.ok(stalled.busy > 0.98);
  });

  it('wraps the 32-bit millisecond fields, and the tracker keeps io time monotonic across the wrap', () => {
    const { render } = fleet(20, 1);
    const tracker = new NvmeCounterTracker();
    let wrapped = false;
    let previousRaw = -1;
    let previousSeconds = -1;
    // Step through three weeks an hour at a time: a busy device's read time wraps within days.
    for (let t = START; t < START + 21 * 86_400_000; t += 3_600_000) {
      const [record] = parseDiskstats(render('n-02', t), 'd').records;
      assert.ok(record!.readTimeMs < 2 ** 32 && record!.ioTimeMs < 2 ** 32);
      if (record!.readTimeMs < previousRaw) wrapped = true;
      previousRaw = record!.readTimeMs;
      const [counters] = tracker.observe([record!]);
      assert.ok(counters!.ioTimeSeconds >= previousSeconds);
      previousSeconds = counters!.ioTimeSeconds;
    }
    assert.ok(wrapped, 'read time wrapped at least once');
  });

  it('is deterministic for a time', () => {
    const a = fleet(18);
    const b = fleet(18);
    assert.equal(a.render('n-02', START + 12_345), b.render('n-02', START + 12_345));
  });
});
