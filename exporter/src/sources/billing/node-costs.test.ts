import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readFocusFile, readFocusStream, type FocusFile } from './focus.js';
import { computeNodeCosts, type NodeCost, type NodeCostResult } from './node-costs.js';
import { loadPriceBook, type PriceBook } from './pricebook.js';
import { focusCsv, taggedRow, type TestRow } from './testdata/focus-csv.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const H = 3_600_000;
const DAY = 24 * H;
const JAN1 = Date.UTC(2024, 0, 1);

let book: PriceBook;

before(async () => {
  book = await loadPriceBook(join(here, 'testdata', 'pricebook.yaml'));
});

/** Reads bills given as rows and prices the fleet, as of `now` (hours after Jan 1). */
async function price(files: Record<string, TestRow[]>, nowHours: number, windowDays = 30): Promise<NodeCostResult> {
  const now = JAN1 + nowHours * H;
  const windowMs = windowDays * DAY;
  const read: FocusFile[] = [];
  for (const [name, rows] of Object.entries(files)) {
    read.push(await readFocusStream(Readable.from([focusCsv(rows)]), name, { priceBook: book, nodeTag: 'gpufleet-node', windowMs, now }));
  }
  return computeNodeCosts(book, read, { windowMs, now });
}

function find(result: NodeCostResult, name: string): NodeCost {
  const found = result.nodes.find((n) => n.node === name);
  assert.ok(found, `node ${name} missing; have ${result.nodes.map((n) => n.node).join(', ')}`);
  return found;
}

function close(actual: number | undefined, expected: number): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `expected ${expected}, got ${actual}`);
}

/** Daily usage rows of a node for days [from, to), each costing `perDay`. */
function days(node: string, from: number, to: number, perDay: number, extra: TestRow = {}): TestRow[] {
  const rows: TestRow[] = [];
  for (let d = from; d < to; d++) rows.push(taggedRow(node, d * 24, (d + 1) * 24, perDay, extra));
  return rows;
}

describe('node prices from the test bills (FOCUS 1.0, 1.2, 1.3 together)', () => {
  let result: NodeCostResult;

  before(async () => {
    const options = { priceBook: book, nodeTag: 'gpufleet-node', windowMs: 30 * DAY, now: Date.UTC(2024, 1, 15) };
    const files = await Promise.all(['focus-1.0.csv', 'focus-1.2.csv', 'focus-1.3.csv'].map((f) => readFocusFile(join(here, 'testdata', f), options)));
    result = computeNodeCosts(book, files, { windowMs: options.windowMs, now: options.now });
  });

  it('exports price-book nodes and billed nodes, sorted', () => {
    assert.deepEqual(
      result.nodes.map((n) => n.node),
      ['aws-p5-01', 'dc1-gpu-01', 'gpu-a-01', 'gpu-b-01', 'gpu-b-02', 'lambda-01', 'nb-h100-3', 'trainer-7'],
    );
    assert.deepEqual(result.problems, []);
    assert.equal(result.dependsOnNow, false);
  });

  it('prefers the billed price over the price book', () => {
    // 11520 $ for 30 days (720 h) of an 8-GPU server = 2.00, not the price book's 2.10
    assert.deepEqual(find(result, 'lambda-01'), {
      node: 'lambda-01',
      provider: 'lambda',
      infra: 'bare_metal',
      pricing: 'reserved',
      team: 'research',
      gpus: 8,
      gpuHourlyCost: 2,
      costBasis: 'focus',
    });
  });

  it('adds cost-only rows to the cost but not to the hours', () => {
    // (480 + 480 usage + 48 tax) / (48 h × 8 GPUs) = 2.625
    close(find(result, 'gpu-a-01').gpuHourlyCost, 2.625);
  });

  it('counts hours once across overlapping line items and takes GPUs from SkuPriceDetails', () => {
    // 4 h × (80 instance + 0.8 volume) / (4 h × 8 GPUs) = 10.1
    const p5 = find(result, 'aws-p5-01');
    close(p5.gpuHourlyCost, 10.1);
    assert.equal(p5.gpus, 8);
    assert.deepEqual([p5.provider, p5.infra, p5.pricing, p5.team], ['aws', 'cloud', 'on_demand', 'inference']);
  });

  it('labels nodes the price book does not know from the bill', () => {
    // 2 h × 12 $ / (2 h × 4 GPUs) = 3
    assert.deepEqual(find(result, 'trainer-7'), {
      node: 'trainer-7',
      provider: 'AWS',
      infra: 'cloud',
      pricing: 'spot',
      team: 'unassigned',
      gpus: 4,
      gpuHourlyCost: 3,
      costBasis: 'focus',
    });
    // 2 × 384 / (48 h × 8) = 2, provider from the 1.3 ServiceProviderName
    const nebius = find(result, 'nb-h100-3');
    assert.equal(nebius.gpuHourlyCost, 2);
    assert.equal(nebius.provider, 'Nebius');
    assert.equal(nebius.pricing, 'on_demand');
  });

  it('prices unbilled nodes from the price book, amortising owned hardware', () => {
    const owned = find(result, 'dc1-gpu-01');
    close(owned.gpuHourlyCost, 1.4546077625570776);
    assert.equal(owned.costBasis, 'price_book');
    assert.deepEqual(find(result, 'gpu-b-02'), {
      node: 'gpu-b-02',
      provider: 'coreweave',
      infra: 'vm',
      pricing: 'reserved',
      team: 'training',
      gpus: 4,
      gpuHourlyCost: 3,
      costBasis: 'price_book',
    });
  });
});

describe('the cost window', () => {
  // gpu-a-* nodes have 8 GPUs in the price book: 192 $/day is 1 $ per GPU-hour, 384 $/day is 2.
  const twoMonths = [...days('gpu-a-10', 0, 30, 384), ...days('gpu-a-10', 30, 60, 192)];

  it('averages the last 30 days of charge periods by default', async () => {
    const result = await price({ 'bill.csv': twoMonths }, 60 * 24 + 100);
    assert.equal(find(result, 'gpu-a-10').gpuHourlyCost, 1);
  });

  it('follows the configured window length', async () => {
    assert.equal(find(await price({ 'bill.csv': twoMonths }, 2000, 60), 'gpu-a-10').gpuHourlyCost, 1.5);
    // (15 × 384 + 30 × 192) / (45 × 24 × 8) = 11520 / 8640
    close(find(await price({ 'bill.csv': twoMonths }, 2000, 45), 'gpu-a-10').gpuHourlyCost, 4 / 3);
  });

  it('divides by the hours billed, not by the window length', async () => {
    // billed 10 of the last 30 days: idle days without bills do not dilute the price
    const result = await price({ 'bill.csv': days('gpu-a-11', 50, 60, 192) }, 2000);
    assert.equal(find(result, 'gpu-a-11').gpuHourlyCost, 1);
  });

  it('counts a charge straddling the window start pro rata', async () => {
    // [day 0, day 40) for 7680 $ and an extra line item over days 35–40 for 960 $.
    // Window [day 10, day 40): 30/40 × 7680 + 960 = 6720 $ over 720 h × 8 GPUs.
    const rows = [taggedRow('gpu-a-12', 0, 40 * 24, 7680), taggedRow('gpu-a-12', 35 * 24, 40 * 24, 960)];
    const result = await price({ 'bill.csv': rows }, 2000);
    close(find(result, 'gpu-a-12').gpuHourlyCost, 6720 / 5760);
  });

  it('never reaches past now when bills run ahead', async () => {
    // Ten days of usage (1 $/GPU-hour) and a month's support fee of 310 $ billed for all of January.
    // On Jan 11 the window ends now: 1920 + 10/31 × 310 = 2020 $ over 240 h × 8 GPUs.
    const rows = [...days('gpu-a-13', 0, 10, 192), taggedRow('gpu-a-13', 0, 31 * 24, 310)];
    const result = await price({ 'bill.csv': rows }, 10 * 24);
    close(find(result, 'gpu-a-13').gpuHourlyCost, 2020 / 1920);
    assert.equal(result.dependsOnNow, true);
  });

  it('uses all charges for the hours when a node has no usage rows', async () => {
    // A bare-metal month booked as a purchase: 5760 $ for 30 days of 8 GPUs.
    const rows = [taggedRow('gpu-a-14', 0, 30 * 24, 5760, { ChargeCategory: 'Purchase' })];
    assert.equal(find(await price({ 'bill.csv': rows }, 2000), 'gpu-a-14').gpuHourlyCost, 1);
  });

  it('joins one node billed in several files', async () => {
    const result = await price({ 'jan.csv': days('gpu-a-15', 0, 31, 384), 'feb.csv': days('gpu-a-15', 31, 60, 192) }, 2000);
    // window = days 30–60: 1 day at 384 and 29 at 192 → (384 + 5568) / (720 × 8)
    close(find(result, 'gpu-a-15').gpuHourlyCost, 5952 / 5760);
  });
});

describe('which billed nodes are exported', () => {
  it('drops nodes whose bills stopped before the last window, but keeps price-book names', async () => {
    const result = await price(
      {
        'bill.csv': [
          ...days('gpu-a-20', 0, 60, 192),
          ...days('trainer-old', 0, 5, 100, { SkuPriceDetails: '{"GpuCount": 8}' }),
          ...days('lambda-01', 0, 5, 100),
        ],
      },
      2000,
    );
    assert.ok(!result.nodes.some((n) => n.node === 'trainer-old'));
    const lambda = find(result, 'lambda-01');
    assert.equal(lambda.gpuHourlyCost, 2.1);
    assert.equal(lambda.costBasis, 'price_book');
  });

  it('reports a node without a GPU count and counts its rows as rejected', async () => {
    const result = await price({ 'bill.csv': [taggedRow('mystery', 0, 1, 5), taggedRow('mystery', 1, 2, 5)] }, 100);
    assert.deepEqual(result.nodes.map((n) => n.node).filter((n) => n === 'mystery'), []);
    assert.deepEqual(result.problems, [
      'bill.csv:2: node "mystery" has no GPU count: set gpus in the price book or bill it with SkuPriceDetails GpuCount; its 2 rows are not used',
    ]);
    assert.equal(result.rejectedRows.get('bill.csv'), 2);
  });

  it('falls back to the price book when credits exceed the charges', async () => {
    const rows = [taggedRow('gpu-a-01', 0, 24, 192), taggedRow('gpu-a-01', 0, 24, -500, { ChargeCategory: 'Credit' })];
    const result = await price({ 'bill.csv': rows }, 100);
    const node = find(result, 'gpu-a-01');
    assert.equal(node.gpuHourlyCost, 2.5);
    assert.equal(node.costBasis, 'price_book');
    assert.match(result.problems[0] ?? '', /^bill\.csv:2: node "gpu-a-01" has a negative net EffectiveCost over the window \(-308\.00\)/);
  });

  it('leaves a node without any price unpriced rather than guessing', async () => {
    // aws-* describes the node but has no rate, and its only charge is an instant: no hours billed.
    const rows = [{ ...taggedRow('aws-p5-09', 5, 5, 0), SkuPriceDetails: '{"GpuCount": 8}' }];
    const result = await price({ 'bill.csv': rows }, 100);
    const node = find(result, 'aws-p5-09');
    assert.equal(node.gpuHourlyCost, undefined);
    assert.equal(node.costBasis, undefined);
    assert.equal(node.gpus, 8);
  });
});
