import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

import { createBillingSource } from '../sources/billing/billing-source.js';
import { parsePriceBook } from '../sources/billing/pricebook.js';
import { FOCUS_COLUMNS, focusCsv, gpuHourlyCost, NODE_TAG, priceBookYaml, writeBillingFiles } from './billing-files.js';
import { loadScenario, parseScenario, type Scenario } from './scenario.js';

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');
const NOW = Date.UTC(2025, 4, 1, 0, 30); // just after a month boundary: rows span two billing periods

describe('gpuHourlyCost', () => {
  it('amortises owned hardware over 8760-hour years and shares it between GPUs', () => {
    const owned = { capex: 87600, years: 5, powerKw: 2, energyCostPerKwh: 0.1, pue: 1.25, colocationPerMonth: 730 };
    assert.equal(gpuHourlyCost({ provider: 'p', infra: 'bare_metal', pricing: 'owned', team: 't', owned }, 2), 1.625);
    assert.equal(gpuHourlyCost({ provider: 'p', infra: 'vm', pricing: 'spot', team: 't', gpuHourlyCost: 2.45 }, 8), 2.45);
  });
});

describe('billing files of the shipped scenarios', () => {
  let e2e: Scenario;
  let demo: Scenario;
  let dir: string;

  before(async () => {
    e2e = await loadScenario(join(SCENARIOS, 'e2e.yaml'));
    demo = await loadScenario(join(SCENARIOS, 'default.yaml'));
    dir = await mkdtemp(join(tmpdir(), 'gpufleet-sim-billing-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a price book the billing role accepts, naming every node once', () => {
    for (const scenario of [e2e, demo]) {
      const book = parsePriceBook(priceBookYaml(scenario), 'pricebook.yaml');
      assert.deepEqual([...book.fleet], scenario.nodes.map((n) => n.name));
      for (const node of scenario.nodes) {
        const entry = book.entryFor(node.name);
        assert.ok(entry, node.name);
        assert.equal(entry.provider, node.billing.provider);
        assert.equal(entry.pricing, node.billing.pricing);
        assert.equal(entry.infra, node.billing.infra);
        assert.equal(entry.team, node.billing.team);
        assert.equal(entry.gpus, node.gpuCount);
        assert.ok(Math.abs(entry.gpuHourlyCost! - gpuHourlyCost(node.billing, node.gpuCount)) < 1e-12, node.name);
      }
      assert.equal(book.references.length, 3);
    }
  });

  it('uses one glob per generated group and exact names for listed nodes', () => {
    const text = priceBookYaml(demo);
    assert.match(text, /match: dc1-h100-\*/);
    assert.match(text, /match: spot-h100-01\n/);
    assert.match(text, /resource_ids:\n\s+- i-[0-9a-f]{17}/);
  });

  it('writes hourly FOCUS rows whose EffectiveCost is GPUs × price', () => {
    const rented = e2e.nodes.filter((n) => n.billing.pricing !== 'owned');
    const rows = parse(focusCsv(e2e, rented, NOW), { columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0]!), [...FOCUS_COLUMNS]);
    assert.equal(rows.length, rented.length * e2e.focusDays * 24);
    for (const row of rows) {
      const node = e2e.nodes.find((n) => n.name === JSON.parse(row.Tags!)[NODE_TAG])!;
      const gpus = JSON.parse(row.SkuPriceDetails!).GpuCount as number;
      assert.equal(gpus, node.gpuCount);
      assert.equal(Number(row.EffectiveCost) / gpus, node.billing.gpuHourlyCost);
      assert.equal(Date.parse(row.ChargePeriodEnd!) - Date.parse(row.ChargePeriodStart!), 3_600_000);
      assert.equal(row.ChargeCategory, 'Usage');
      assert.equal(row.BillingCurrency, 'USD');
      assert.equal(row.ResourceName, node.name);
      if (node.billing.pricing === 'reserved') assert.equal(row.BilledCost, '0');
      else assert.equal(row.BilledCost, row.EffectiveCost);
    }
    const last = rows.at(-1)!;
    assert.equal(last.ChargePeriodEnd, '2025-05-01T00:00:00Z');
    assert.equal(last.BillingPeriodStart, '2025-04-01T00:00:00Z');
    assert.equal(last.BillingPeriodEnd, '2025-05-01T00:00:00Z');
    assert.deepEqual(new Set(rows.map((r) => r.PricingCategory)), new Set(['Committed', 'Standard', 'Dynamic']));
  });

  it('writes one FOCUS file per provider of rented nodes, and none for owned ones', async () => {
    const files = await writeBillingFiles(demo, dir, NOW);
    assert.equal(files.priceBook, join(dir, 'pricebook.yaml'));
    assert.deepEqual(files.focus.map((f) => f.slice(dir.length + 1)).sort(), ['focus-gpu-market.csv', 'focus-hyperscale-cloud.csv', 'focus-neocloud-east.csv']);
    const text = await readFile(join(dir, 'focus-hyperscale-cloud.csv'), 'utf8');
    assert.ok(!text.includes('dc1-h100'));
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.tmp')), []);
  });

  it('lets the billing role derive exactly the scenario price of every node', async () => {
    const out = join(dir, 'e2e');
    const files = await writeBillingFiles(e2e, out, NOW);
    const source = createBillingSource({ priceBook: files.priceBook, focus: files.focus, windowDays: 1, now: () => new Date(NOW) });
    const { families, problems } = await source.collect(new AbortController().signal);
    assert.deepEqual(problems, []);
    const prices = families.find((f) => f.name === 'gpufleet_node_gpu_hourly_cost_dollars')!.samples;
    for (const node of e2e.nodes) {
      const sample = prices.find((s) => s.labels.node === node.name);
      assert.ok(sample, node.name);
      assert.ok(Math.abs(sample.value - gpuHourlyCost(node.billing, node.gpuCount)) < 1e-9, `${node.name}: ${sample.value}`);
    }
    const info = families.find((f) => f.name === 'gpufleet_node_info')!.samples.find((s) => s.labels.node === 'e2e-spot-01')!;
    assert.deepEqual({ ...info.labels }, { node: 'e2e-spot-01', provider: 'bigcloud', infra: 'vm', pricing: 'spot', team: 'serving' });
  });

  it('keeps provider files apart when their names make the same slug', async () => {
    const scenario = parseScenario(
      `seed: 1
cluster: t
node_groups:
  - { name: a, nodes: [a-1], model: NVIDIA H100 80GB HBM3, dcgm: { version: "4.8" }, provider: "Neo Cloud", infra: vm, pricing: spot, team: t, gpu_hourly_cost: 1 }
  - { name: b, nodes: [b-1], model: NVIDIA H100 80GB HBM3, dcgm: { version: "4.8" }, provider: neo-cloud, infra: vm, pricing: spot, team: t, gpu_hourly_cost: 1 }
`,
      't',
    );
    const files = await writeBillingFiles(scenario, join(dir, 'slugs'), NOW);
    assert.deepEqual(files.focus.map((f) => f.split('/').at(-1)), ['focus-neo-cloud.csv', 'focus-neo-cloud-2.csv']);
  });
});
