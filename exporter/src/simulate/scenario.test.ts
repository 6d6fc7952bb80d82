import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { generatedNames, loadScenario, parseScenario, ScenarioError } from './scenario.js';

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');

/** A minimal valid scenario; tests append or replace lines to break it in one place. */
const BASE = `seed: 1
cluster: test
node_groups:
  - name: g
    prefix: n
    count: 3
    model: NVIDIA H100 80GB HBM3
    gpus: 2
    dcgm: { version: "4.8" }
    provider: p
    infra: vm
    pricing: on_demand
    team: t
    gpu_hourly_cost: 3.5
`;

function fails(text: string, pattern: RegExp): void {
  assert.throws(
    () => parseScenario(text, 'scn.yaml'),
    (error: unknown) => {
      assert.ok(error instanceof ScenarioError, String(error));
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('shipped scenarios', () => {
  it('default.yaml: 16 nodes × 8 H100 over several contracts and generations', async () => {
    const s = await loadScenario(join(SCENARIOS, 'default.yaml'));
    assert.equal(s.nodes.length, 16);
    assert.ok(s.nodes.every((n) => n.gpuCount === 8 && n.model === 'NVIDIA H100 80GB HBM3'));
    assert.deepEqual(new Set(s.nodes.map((n) => n.dcgm.version)), new Set(['3.3', '4.2', '4.8', '4.9']));
    assert.deepEqual(new Set(s.nodes.map((n) => n.billing.pricing)), new Set(['owned', 'reserved', 'on_demand', 'spot']));
    assert.deepEqual(new Set(s.nodes.map((n) => n.billing.infra)), new Set(['bare_metal', 'vm', 'cloud']));
    assert.deepEqual(
      s.nodes.filter((n) => n.dead).map((n) => n.name),
      ['cloud-h100-04'],
    );
    const stragglers = s.nodes.filter((n) => n.straggler).map((n) => [n.name, n.straggler!.cause]);
    assert.deepEqual(stragglers, [
      ['dc1-h100-04', 'thermal'],
      ['neo-h100-03', 'nvme_stall'],
    ]);
    const pods = s.nodes.flatMap((n) => n.gpus.map((g) => g?.pod)).filter((p) => p !== undefined);
    assert.ok(pods.includes('bert-finetune-worker-0') && pods.includes('bert-finetune-worker-3'));
    const allocatedIdle = s.nodes.flatMap((n) => n.gpus).filter((g) => g !== undefined && g.useful < 0.05);
    assert.ok(allocatedIdle.length >= 4);
    const unallocated = s.nodes.flatMap((n) => n.gpus).filter((g) => g === undefined);
    assert.ok(unallocated.length >= 8);
    assert.equal(s.references.length, 3);
  });

  it('e2e.yaml: 7 nodes × 2 GPUs, no noise, one thermal straggler', async () => {
    const s = await loadScenario(join(SCENARIOS, 'e2e.yaml'));
    assert.equal(s.nodes.length, 7);
    assert.ok(s.nodes.every((n) => n.gpuCount === 2 && n.noise === 0 && !n.dead));
    assert.equal(s.workloads.find((w) => w.name === 'pretrain')!.nodes.length, 4);
    assert.deepEqual(s.workloads.find((w) => w.name === 'pretrain')!.stragglers, [{ node: 'e2e-train-03', cause: 'thermal', slowdown: 0.3 }]);
    assert.equal(s.nodes.find((n) => n.name === 'e2e-train-02')!.gpus[0]!.useful, 0.82);
  });

  it('large.yaml: 1000 nodes × 8 GPUs', async () => {
    const s = await loadScenario(join(SCENARIOS, 'large.yaml'));
    assert.equal(s.nodes.length, 1000);
    assert.equal(s.nodes.reduce((sum, n) => sum + n.gpuCount, 0), 8000);
    assert.equal(s.nodes[0]!.name, 'dca-h100-001');
    assert.equal(new Set(s.nodes.filter((n) => n.straggler).map((n) => n.straggler!.cause)).size, 6);
  });
});

describe('parseScenario', () => {
  it('resolves a minimal scenario with defaults', () => {
    const s = parseScenario(BASE, 'scn.yaml');
    assert.equal(s.file, 'scn.yaml');
    assert.deepEqual(
      s.nodes.map((n) => n.name),
      ['n-01', 'n-02', 'n-03'],
    );
    const n = s.nodes[0]!;
    assert.deepEqual(n.dcgm, { version: '4.8', fields: 'dcp', hostname: 'node', driver: '570.172.08', sentinelMemoryTemp: false });
    assert.equal(n.diskstatsFields, 20);
    assert.deepEqual(n.nvme, { devices: 2, model: 'SAMSUNG MZQL23T8HCLS-00A07' });
    assert.equal(n.billing.gpuHourlyCost, 3.5);
    assert.deepEqual(n.gpus, [undefined, undefined]);
    assert.equal(s.focusDays, 3);
  });

  it('assigns a list of dcgm profiles to the nodes in turn', () => {
    const s = parseScenario(BASE.replace('dcgm: { version: "4.8" }', 'dcgm: [{ version: "3.3" }, { version: "4.9", fields: dcp_sm }]'), 'x');
    assert.deepEqual(
      s.nodes.map((n) => `${n.dcgm.version}/${n.dcgm.fields}`),
      ['3.3/basic', '4.9/dcp_sm', '3.3/basic'],
    );
  });

  it('names workload pods and hpc jobs per kind', () => {
    const s = parseScenario(
      `${BASE}workloads:
  - { name: job, kind: hpc_job, nodes: [n-01], useful: 0.5 }
  - { name: ft, kind: pytorchjob, namespace: ml, nodes: { group: g, from: 2 }, useful: 0.6 }
`,
      'x',
    );
    assert.equal(s.nodes[0]!.gpus[1]!.hpcJob, 'job');
    assert.equal(s.nodes[0]!.gpus[1]!.pod, undefined);
    assert.deepEqual(
      s.nodes.slice(1).map((n) => [n.gpus[0]!.pod, n.gpus[0]!.namespace, n.gpus[0]!.container]),
      [
        ['ft-worker-0', 'ml', 'pytorch'],
        ['ft-worker-1', 'ml', 'pytorch'],
      ],
    );
  });

  it('fills pod name templates and holds only the listed GPUs', () => {
    const s = parseScenario(
      `${BASE}workloads:
  - { name: nb, kind: pods, namespace: r, pod: "nb-{node}-{i}", gpus: [1], nodes: [n-02, n-03], useful: 0.02 }
`,
      'x',
    );
    assert.equal(s.nodes[1]!.gpus[0], undefined);
    assert.equal(s.nodes[1]!.gpus[1]!.pod, 'nb-n-02-0');
    assert.equal(s.nodes[2]!.gpus[1]!.pod, 'nb-n-03-1');
    assert.equal(s.nodes[2]!.gpus[1]!.container, 'main');
  });

  it('reports YAML syntax errors with file:line:column', () => {
    fails('seed: 1\ncluster: [unclosed\n', /^scn\.yaml:\d+:\d+: /);
    fails('seed: 1\nseed: 2\n', /^scn\.yaml:2:1: .*[Mm]ap keys must be unique/);
  });

  it('points schema errors at the offending value or key', () => {
    fails(BASE.replace('gpus: 2', 'gpus: two'), /^scn\.yaml:8:11: node_groups\[0\]\.gpus: /);
    fails(BASE.replace('infra: vm', 'infra: mainframe'), /^scn\.yaml:11:12: node_groups\[0\]\.infra: /);
    fails(BASE.replace('    team: t\n', '    team: t\n    colour: blue\n'), /^scn\.yaml:14:5: node_groups\[0\]\.colour: /);
    fails(BASE.replace('cluster: test\n', ''), /^scn\.yaml:1:1: cluster: /);
    fails(BASE.replace('prefix: n', 'prefix: "bad name"'), /^scn\.yaml:5:13: node_groups\[0\]\.prefix: use letters/);
  });

  it('rejects a price that does not fit the pricing model', () => {
    fails(BASE.replace('pricing: on_demand', 'pricing: owned'), /scn\.yaml:\d+:\d+: node_groups\[0\]\.owned: pricing owned needs owned/);
    fails(BASE.replace('    gpu_hourly_cost: 3.5\n', ''), /node_groups\[0\]\.gpu_hourly_cost: pricing on_demand needs gpu_hourly_cost/);
  });

  it('rejects an unknown GPU model without gpu_spec, and accepts it with one', () => {
    fails(BASE.replace('NVIDIA H100 80GB HBM3', 'Mystery GPU'), /^scn\.yaml:7:12: node_groups\[0\]\.model: unknown GPU model "Mystery GPU"/);
    const s = parseScenario(
      BASE.replace(
        'model: NVIDIA H100 80GB HBM3',
        'model: Mystery GPU\n    gpu_spec: { memory_mib: 1000, tdp_watts: 100, idle_watts: 10, max_sm_clock_mhz: 1000, idle_sm_clock_mhz: 100, memory_clock_mhz: 500 }',
      ),
      'x',
    );
    assert.equal(s.nodes[0]!.gpuSpec.memoryMiB, 1000);
  });

  it('checks cross references between workloads, nodes, XIDs and dead nodes', () => {
    fails(`${BASE}workloads:\n  - { name: j, kind: hpc_job, nodes: [n-01, n-09], useful: 0.5 }\n`, /^scn\.yaml:16:45: workloads\[0\]\.nodes\[1\]: unknown node n-09/);
    fails(`${BASE}workloads:\n  - { name: j, kind: hpc_job, nodes: { group: nope }, useful: 0.5 }\n`, /workloads\[0\]\.nodes\.group: unknown node group nope/);
    fails(`${BASE}workloads:\n  - { name: j, kind: hpc_job, nodes: { group: g, from: 3, count: 2 }, useful: 0.5 }\n`, /goes past its end/);
    fails(
      `${BASE}workloads:\n  - { name: a, kind: hpc_job, nodes: [n-01], useful: 0.5 }\n  - { name: b, kind: pods, namespace: x, gpus: [1], nodes: [n-01], useful: 0.5 }\n`,
      /^scn\.yaml:17:\d+: workloads\[1\]\.nodes\[0\]: GPU 1 of n-01 is already held by workload a/,
    );
    fails(`${BASE}workloads:\n  - { name: a, kind: pods, namespace: x, gpus: [5], nodes: [n-01], useful: 0.5 }\n`, /n-01 has 2 GPUs; there is no GPU 5/);
    fails(`${BASE}workloads:\n  - { name: a, kind: pytorchjob, nodes: [n-01], useful: 0.5 }\n`, /a pytorchjob workload needs a namespace/);
    fails(
      `${BASE}workloads:\n  - { name: a, kind: hpc_job, nodes: [n-01, n-02, n-03], useful: 0.5, stragglers: [{ node: n-04, cause: thermal }] }\n`,
      /stragglers\[0\]\.node: straggler n-04 is not a node of workload a/,
    );
    fails(
      `${BASE}workloads:\n  - { name: a, kind: hpc_job, nodes: [n-01, n-02], useful: 0.5, stragglers: [{ node: n-02, cause: thermal }] }\n`,
      /a straggler needs a job of at least 3 nodes/,
    );
    fails(
      `${BASE}workloads:\n  - { name: a, kind: hpc_job, nodes: [n-01, n-02, n-03], useful: 0.5, stragglers: [{ node: n-02, cause: sunspots }] }\n`,
      /stragglers\[0\]\.cause: /,
    );
    fails(`${BASE}xids:\n  - { node: n-01, gpu: 2, code: 79, at_s: 10 }\n`, /^scn\.yaml:16:\d+: xids\[0\]\.gpu: node n-01 has 2 GPUs/);
    fails(`${BASE}dead_nodes: [n-01, ghost]\n`, /^scn\.yaml:15:20: dead_nodes\[1\]: unknown node ghost/);
  });

  it('rejects duplicate node names across groups', () => {
    const second = BASE.split('node_groups:\n')[1]!.replace('name: g', 'name: h');
    fails(`${BASE}${second}`, /node n-01 is defined twice/);
  });

  it('reports several problems at once', () => {
    try {
      parseScenario(`${BASE}dead_nodes: [x1, x2, x3]\n`, 'scn.yaml');
      assert.fail('expected an error');
    } catch (error) {
      assert.equal((error as Error).message.split('\n').length, 3);
    }
  });

  it('names the file when it cannot be read', async () => {
    await assert.rejects(loadScenario('/nonexistent/scenario.yaml'), /^ScenarioError: \/nonexistent\/scenario\.yaml: cannot read: /);
  });

  it('survives hostile documents', () => {
    fails('', /cluster|seed|expected object/);
    fails('- just\n- a list\n', /\(document\)/);
    fails('a: &a [*a]\n', /scn\.yaml/);
    fails(`${BASE}seed: 2\n`, /unique/);
  });
});

describe('generatedNames', () => {
  it('pads to at least two digits and to the width of the count', () => {
    assert.deepEqual(generatedNames('x', 2), ['x-01', 'x-02']);
    assert.equal(generatedNames('x', 1000)[0], 'x-0001');
    assert.equal(generatedNames('x', 1000)[999], 'x-1000');
  });
});
