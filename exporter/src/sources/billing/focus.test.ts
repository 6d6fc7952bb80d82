import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { SourceError } from '../source.js';
import { windowTotals } from './charge-intervals.js';
import { MAX_PROBLEMS_PER_FILE, readFocusFile, readFocusStream, type FocusFile, type FocusReadOptions } from './focus.js';
import { loadPriceBook, parsePriceBook, type PriceBook } from './pricebook.js';
import { csvCell, focusCsv, hoursAfterJan1, taggedRow, TEST_COLUMNS } from './testdata/focus-csv.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const testdata = (name: string): string => join(here, 'testdata', name);
const H = 3_600_000;
const DAY = 24 * H;

let book: PriceBook;
let options: FocusReadOptions;
let scratch: string;

before(async () => {
  book = await loadPriceBook(testdata('pricebook.yaml'));
  options = { priceBook: book, nodeTag: 'gpufleet-node', windowMs: 30 * DAY, now: Date.UTC(2024, 1, 15) };
  scratch = await mkdtemp(join(tmpdir(), 'gpufleet-focus-'));
});

after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function read(text: string, opts: Partial<FocusReadOptions> = {}): Promise<FocusFile> {
  return readFocusStream(Readable.from([text]), 'bill.csv', { ...options, ...opts });
}

function node(file: FocusFile, name: string) {
  const charges = file.nodes.get(name);
  assert.ok(charges, `node ${name} missing; have ${[...file.nodes.keys()].join(', ')}`);
  return charges;
}

describe('FOCUS column sets', () => {
  it('reads a FOCUS 1.0 export (ProviderName, no SkuPriceDetails)', async () => {
    const file = await readFocusFile(testdata('focus-1.0.csv'), options);
    assert.deepEqual([...file.nodes.keys()].sort(), ['gpu-a-01', 'lambda-01']);
    assert.equal(file.rows, 5);
    assert.equal(file.rowsUsed, 4);
    assert.equal(file.rowsIgnored, 1); // the block-storage volume
    assert.equal(file.rowsRejected, 0);
    assert.deepEqual(file.problems, []);

    const lambda = node(file, 'lambda-01'); // found through the price book's resource_ids
    assert.equal(lambda.provider, 'Lambda');
    assert.equal(lambda.pricing, 'reserved');
    assert.equal(lambda.firstLine, 2);
    const gpuA = node(file, 'gpu-a-01');
    assert.equal(gpuA.rows, 3);
    const t = windowTotals([gpuA.charges], Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 31));
    assert.equal(t.cost, 480 + 480 + 48); // two days of usage and the month's tax
    assert.equal(t.usageCoveredMs, 2 * DAY); // tax adds cost, not hours
  });

  it('reads a FOCUS 1.2 export (SkuPriceDetails GpuCount, x_ columns)', async () => {
    const file = await readFocusFile(testdata('focus-1.2.csv'), options);
    assert.deepEqual([...file.nodes.keys()].sort(), ['aws-p5-01', 'trainer-7']);
    assert.equal(file.rowsIgnored, 1); // the S3 bucket
    assert.equal(file.rowsRejected, 0);

    const p5 = node(file, 'aws-p5-01'); // by node tag: instance and its tagged volume
    assert.equal(p5.rows, 8);
    assert.equal(p5.gpus, 8);
    assert.equal(p5.pricing, 'reserved');
    const t = windowTotals([p5.charges], 0, Date.UTC(2024, 1, 1));
    assert.ok(Math.abs(t.cost - 4 * 80.8) < 1e-9);
    assert.equal(t.usageCoveredMs, 4 * H);

    const spot = node(file, 'trainer-7'); // unknown to the price book, a GPU node by its GpuCount
    assert.equal(spot.gpus, 4);
    assert.equal(spot.pricing, 'spot');
    assert.equal(spot.provider, 'AWS');
  });

  it('reads a FOCUS 1.3 export (ServiceProviderName over the deprecated ProviderName)', async () => {
    const file = await readFocusFile(testdata('focus-1.3.csv'), options);
    const nebius = node(file, 'nb-h100-3');
    assert.equal(nebius.provider, 'Nebius');
    assert.equal(nebius.gpus, 8); // GpuCount given as a string
    assert.equal(nebius.rows, 2);
  });

  it('matches column names case-insensitively and in any order', async () => {
    const text = 'tags,effectivecost,chargeperiodend,chargeperiodstart\n' + `${csvCell(JSON.stringify({ 'gpufleet-node': 'gpu-a-01' }))},5,2024-01-01T01:00:00Z,2024-01-01T00:00:00Z\n`;
    const file = await read(text);
    assert.equal(node(file, 'gpu-a-01').rows, 1);
  });

  it('reads gzip-compressed exports', async () => {
    const path = join(scratch, 'bill.csv.gz');
    await writeFile(path, gzipSync(focusCsv([taggedRow('gpu-a-01', 0, 1, 20)])));
    const file = await readFocusFile(path, options);
    assert.equal(node(file, 'gpu-a-01').rows, 1);
  });
});

describe('FOCUS node identity', () => {
  it('prefers the node tag, then resource_ids, then ResourceName, then ResourceId', async () => {
    const file = await read(
      focusCsv([
        taggedRow('gpu-a-01', 0, 1, 1, { ResourceName: 'gpu-a-99' }),
        { ...taggedRow('x', 0, 1, 1), Tags: '', ResourceId: 'bm-7781', ResourceName: 'gpu-a-98' },
        { ...taggedRow('x', 0, 1, 1), Tags: '', ResourceId: 'vm-1', ResourceName: 'gpu-a-02' },
        { ...taggedRow('x', 0, 1, 1), Tags: '', ResourceId: 'gpu-a-03', ResourceName: 'unrelated' },
        { ...taggedRow('x', 0, 1, 1), Tags: '', ResourceId: 'i-1', ResourceName: '', SkuPriceDetails: '{"GpuCount": 2}' },
      ]),
    );
    assert.deepEqual([...file.nodes.keys()].sort(), ['gpu-a-01', 'gpu-a-02', 'gpu-a-03', 'i-1', 'lambda-01']);
  });

  it('uses a configured node tag and ignores non-string tag values', async () => {
    const file = await read(
      focusCsv([
        { ...taggedRow('x', 0, 1, 1), Tags: JSON.stringify({ 'user:host': 'gpu-a-05' }), ResourceId: '' },
        { ...taggedRow('x', 0, 1, 1), Tags: JSON.stringify({ 'user:host': true }), ResourceId: 'other' },
      ]),
      { nodeTag: 'user:host' },
    );
    assert.deepEqual([...file.nodes.keys()], ['gpu-a-05']);
    assert.equal(file.rowsIgnored, 1);
  });

  it('accepts GPU counts from x_GpuCount keys and columns, fractions included', async () => {
    const text =
      'ChargePeriodStart,ChargePeriodEnd,EffectiveCost,ResourceName,SkuPriceDetails,x_GpuCount\n' +
      `2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,1,vm-a,${csvCell('{"x_GpuCount": 0.5}')},\n` +
      '2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,1,vm-b,NULL,2\n' +
      '2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,1,vm-c,,0\n';
    const file = await read(text);
    assert.equal(node(file, 'vm-a').gpus, 0.5);
    assert.equal(node(file, 'vm-b').gpus, 2);
    assert.equal(file.nodes.has('vm-c'), false); // zero GPUs: not a GPU node
    assert.equal(file.rowsIgnored, 1);
  });

  it('keeps the latest GPU count, provider and pricing of a node', async () => {
    const file = await read(
      focusCsv([
        taggedRow('trainer-9', 5, 6, 1, { SkuPriceDetails: '{"GpuCount": 8}', ProviderName: 'New', PricingCategory: 'Dynamic' }),
        taggedRow('trainer-9', 0, 1, 1, { SkuPriceDetails: '{"GpuCount": 4}', ProviderName: 'Old', PricingCategory: 'Standard' }),
      ]),
    );
    const n = node(file, 'trainer-9');
    assert.equal(n.gpus, 8);
    assert.equal(n.provider, 'New');
    assert.equal(n.pricing, 'spot');
    assert.equal(n.firstStart, Date.UTC(2024, 0, 1));
    assert.equal(n.latestEnd, Date.UTC(2024, 0, 1) + 6 * H);
  });
});

describe('FOCUS input tolerance', () => {
  it('reads a file with a BOM and CRLF line ends', async () => {
    const text = '\ufeff' + focusCsv([taggedRow('gpu-a-01', 0, 1, 10), { ...taggedRow('gpu-a-01', 1, 2, 10), EffectiveCost: 'oops' }], '\r\n');
    const file = await read(text);
    assert.equal(node(file, 'gpu-a-01').rows, 1);
    assert.deepEqual(file.problems, ['bill.csv:3: EffectiveCost "oops" is not a number']);
  });

  it('tolerates NULL and empty optional cells', async () => {
    const file = await read(
      focusCsv([
        taggedRow('gpu-a-01', 0, 1, 10, { ChargeCategory: 'NULL', ResourceName: 'NULL', SkuPriceDetails: 'NULL', PricingCategory: '', ProviderName: 'NULL', BillingCurrency: 'NULL' }),
        { ChargePeriodStart: hoursAfterJan1(0), ChargePeriodEnd: hoursAfterJan1(1), EffectiveCost: '3', Tags: 'NULL', ResourceId: 'NULL', ResourceName: 'NULL' },
      ]),
    );
    assert.equal(file.rowsRejected, 0);
    assert.equal(file.rowsIgnored, 1); // a row naming no resource at all
    const n = node(file, 'gpu-a-01');
    assert.equal(n.provider, undefined);
    assert.equal(windowTotals([n.charges], 0, Date.UTC(2025, 0, 1)).usageCoveredMs, H); // null category counts as usage
  });

  it('accepts every timestamp spelling seen in exports', async () => {
    const spellings = ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z', '2024-01-01 00:00:00', '2024-01-01T00:00:00+00:00'];
    const file = await read(
      focusCsv(spellings.map((start) => taggedRow('gpu-a-01', 0, 1, 1, { ChargePeriodStart: start, ChargePeriodEnd: start.replace('T00:', 'T01:').replace(' 00:', ' 01:') }))),
    );
    assert.equal(file.rowsRejected, 0);
    const t = windowTotals([node(file, 'gpu-a-01').charges], 0, Date.UTC(2025, 0, 1));
    assert.equal(t.cost, 4);
    assert.equal(t.usageCoveredMs, H);
  });

  it('skips broken rows, names file:line and reason, and keeps the good ones', async () => {
    const good = taggedRow('gpu-a-01', 0, 1, 10);
    const rows = [
      good, // line 2
      { ...good, EffectiveCost: 'abc' }, // 3
      { ...good, ChargePeriodStart: 'yesterday' }, // 4
      null, // 5: wrong field count
      { ...good, ChargePeriodStart: hoursAfterJan1(5), ChargePeriodEnd: hoursAfterJan1(4) }, // 6
      { ...good, Tags: '{"gpufleet-node": "gpu-a-01"' }, // 7
      { ...good, EffectiveCost: 'NULL' }, // 8
      { ...good, BillingCurrency: 'EUR' }, // 9
      { ...good, Tags: '', ResourceId: '', ResourceName: 'trainer-1', SkuPriceDetails: '{"GpuCount": "many"}' }, // 10
      { ...good, ChargePeriodEnd: '2024-02-30T00:00:00Z' }, // 11
      { ...taggedRow('gpu-a-01', 1, 2, 10) }, // 12
    ];
    let text = focusCsv(rows.map((row) => row ?? {}));
    const lines = text.split('\n');
    lines[4] = 'only,three,fields';
    lines.splice(12, 0, '2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,1,Usage,a"b,,,,,,'); // line 13: stray quote
    lines.splice(13, 0, taggedLine('gpu-a-01', 2, 3, 10)); // line 14
    text = lines.join('\n');
    const file = await read(text);
    assert.deepEqual(file.problems, [
      'bill.csv:3: EffectiveCost "abc" is not a number',
      'bill.csv:4: ChargePeriodStart "yesterday" is not a date',
      `bill.csv:5: expected ${TEST_COLUMNS.length} fields, found 3`,
      'bill.csv:6: ChargePeriodEnd is before ChargePeriodStart',
      'bill.csv:7: Tags is not a JSON object',
      'bill.csv:8: EffectiveCost "NULL" is not a number',
      'bill.csv:9: BillingCurrency EUR is not USD',
      'bill.csv:10: SkuPriceDetails GpuCount "many" is not a GPU count',
      'bill.csv:11: ChargePeriodEnd "2024-02-30T00:00:00Z" is not a date',
      'bill.csv:13: malformed CSV: Invalid Opening Quote: a quote is found on field 4 at line 13, value is "a"',
    ]);
    assert.equal(file.rowsRejected, 10);
    assert.equal(file.rowsUsed, 3);
    assert.equal(file.rows, 13);
    const t = windowTotals([node(file, 'gpu-a-01').charges], 0, Date.UTC(2025, 0, 1));
    assert.equal(t.cost, 30);
    assert.equal(t.usageCoveredMs, 3 * H);
  });

  it('lists at most MAX_PROBLEMS_PER_FILE problems and counts the rest', async () => {
    const rows = [taggedRow('gpu-a-01', 0, 1, 1)];
    for (let i = 0; i < MAX_PROBLEMS_PER_FILE + 50; i++) rows.push({ ...taggedRow('gpu-a-01', 0, 1, 1), EffectiveCost: 'x' });
    const file = await read(focusCsv(rows));
    assert.equal(file.rowsRejected, MAX_PROBLEMS_PER_FILE + 50);
    assert.equal(file.problems.length, MAX_PROBLEMS_PER_FILE + 1);
    assert.equal(file.problems.at(-1), 'bill.csv: 50 more rejected rows not listed');
  });

  it('reads a header-only file as an empty bill', async () => {
    const file = await read(`${TEST_COLUMNS.join(',')}\n`);
    assert.equal(file.nodes.size, 0);
    assert.equal(file.rows, 0);
  });
});

describe('FOCUS files that cannot be used', () => {
  async function rejection(text: string): Promise<string> {
    try {
      await read(text);
    } catch (err) {
      assert.ok(err instanceof SourceError, String(err));
      return err.message;
    }
    assert.fail('expected the file to be rejected');
  }

  it('rejects a file missing required columns', async () => {
    assert.equal(
      await rejection('ChargePeriodStart,ChargePeriodEnd,ResourceId\n2024-01-01,2024-01-02,x\n'),
      'bill.csv:1:1: not a FOCUS export: missing column EffectiveCost',
    );
    assert.equal(
      await rejection('ChargePeriodStart,ChargePeriodEnd,EffectiveCost\n'),
      'bill.csv:1:1: not a FOCUS export: missing column one of Tags, ResourceId, ResourceName',
    );
  });

  it('rejects an empty file', async () => {
    assert.equal(await rejection(''), 'bill.csv:1:1: empty file: no FOCUS header row');
  });

  it('rejects a file whose every row is broken', async () => {
    const message = await rejection(focusCsv([{ ...taggedRow('gpu-a-01', 0, 1, 1), EffectiveCost: '1,5' }, { ...taggedRow('gpu-a-01', 1, 2, 1), EffectiveCost: '2,5' }]));
    assert.equal(message, 'bill.csv: every row was rejected (2); first: bill.csv:2:1: EffectiveCost "1,5" is not a number');
  });

  it('keeps a file with no GPU rows and a broken one as a bill', async () => {
    const file = await read(focusCsv([{ ...taggedRow('x', 0, 1, 1), Tags: '', ResourceName: 'bucket' }, { ...taggedRow('gpu-a-01', 1, 2, 1), EffectiveCost: '?' }]));
    assert.equal(file.rowsIgnored, 1);
    assert.equal(file.rowsRejected, 1);
    assert.equal(file.nodes.size, 0);
  });

  it('names a file it cannot open', async () => {
    await assert.rejects(readFocusFile(join(scratch, 'nope.csv'), options), (err: Error) => {
      assert.ok(err instanceof SourceError);
      assert.match(err.message, /nope\.csv: cannot read FOCUS export: .*ENOENT/);
      return true;
    });
  });

  it('names a corrupt gzip file', async () => {
    const path = join(scratch, 'corrupt.csv.gz');
    await writeFile(path, 'not gzip at all');
    await assert.rejects(readFocusFile(path, options), /corrupt\.csv\.gz: cannot read FOCUS export/);
  });
});

describe('FOCUS files of any size', () => {
  it('streams a 200k-row export, keeping only what the window needs', async () => {
    const nodes = 20;
    const hours = 10_000;
    const path = join(scratch, 'large.csv');
    const out = createWriteStream(path);
    out.write(`${TEST_COLUMNS.join(',')}\n`);
    for (let h = 0; h < hours; h++) {
      let chunk = '';
      for (let n = 0; n < nodes; n++) {
        chunk += `${taggedLine(`big-${n}`, h, h + 1, 8, '{"InstanceType": "p5.48xlarge", "GpuCount": 8}')}\n`;
      }
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));

    const now = Date.UTC(2024, 0, 1) + hours * H;
    const started = performance.now();
    const file = await readFocusFile(path, { ...options, priceBook: parsePriceBook('{}', 'empty.yaml'), now });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(file.rows, nodes * hours);
    assert.equal(file.rowsUsed, nodes * hours);
    assert.equal(file.nodes.size, nodes);
    const first = node(file, 'big-0');
    // Memory follows the 720-hour window, not the 10 000 hours in the file.
    assert.ok(first.charges.length <= 4 * 720, `kept ${first.charges.length} charges of ${hours}`);
    const t = windowTotals([first.charges], now - 30 * DAY, now);
    assert.equal(t.cost, 720 * 8);
    assert.equal(t.usageCoveredMs, 720 * H);
    assert.ok(seconds < 30, `took ${seconds.toFixed(1)} s`);
  });
});

/** A CSV line in TEST_COLUMNS order for a tagged usage row. */
function taggedLine(name: string, from: number, to: number, cost: number, skuPriceDetails = ''): string {
  const row = taggedRow(name, from, to, cost, { SkuPriceDetails: skuPriceDetails });
  return TEST_COLUMNS.map((column) => csvCell(row[column] ?? '')).join(',');
}
