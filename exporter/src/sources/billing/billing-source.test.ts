import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { MetricFamily } from '../../exposition/types.js';
import { SourceError, type Collection } from '../source.js';
import { createBillingSource, type BillingSourceOptions } from './billing-source.js';
import { focusCsv, taggedRow, type TestRow } from './testdata/focus-csv.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const TEST_PRICE_BOOK = join(here, 'testdata', 'pricebook.yaml');
const NOW = new Date(Date.UTC(2024, 1, 15));

let dir: string;
let priceBook: string;
let focusDir: string;
/** Each write gets its own mtime, so changes are seen even within one clock tick. */
let clock = 1_700_000_000;

async function write(path: string, text: string): Promise<void> {
  await writeFile(path, text);
  clock += 10;
  await utimes(path, clock, clock);
}

function source(extra: Partial<BillingSourceOptions> = {}) {
  return createBillingSource({ priceBook, focus: [focusDir], now: () => NOW, ...extra });
}

function collect(s: ReturnType<typeof source>): Promise<Collection> {
  return s.collect(new AbortController().signal);
}

function family(c: Collection, name: string): MetricFamily {
  const found = c.families.find((f) => f.name === name);
  assert.ok(found, `family ${name} missing`);
  return found;
}

/** Value of the sample of `name` whose labels include `labels`. */
function value(c: Collection, name: string, labels: Record<string, string>): number | undefined {
  return family(c, name).samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

function costOf(c: Collection, node: string): number | undefined {
  return value(c, 'gpufleet_node_gpu_hourly_cost_dollars', { node });
}

/** One day (Jan 30) of a tagged gpu-a node, `perDay` dollars: 192 $ is 1 $ per GPU-hour on 8 GPUs. */
function bill(node: string, perDay: number, extra: TestRow[] = []): string {
  return focusCsv([taggedRow(node, 29 * 24, 30 * 24, perDay), ...extra]);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpufleet-billing-'));
  priceBook = join(dir, 'pricebook.yaml');
  focusDir = join(dir, 'focus');
  await mkdir(focusDir);
  await copyFile(TEST_PRICE_BOOK, priceBook);
  await utimes(priceBook, clock, clock);
  await write(join(focusDir, 'jan.csv'), bill('gpu-a-01', 192));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('billing source', () => {
  it('serves the billing metric families', async () => {
    const s = source();
    assert.equal(s.source, 'billing');
    assert.equal(s.target, `${priceBook},${focusDir}`);
    const c = await collect(s);
    assert.equal(c.stale, undefined);
    assert.deepEqual(c.problems, []);
    assert.deepEqual(
      c.families.map((f) => f.name),
      [
        'gpufleet_node_gpu_hourly_cost_dollars',
        'gpufleet_node_info',
        'gpufleet_node_gpus',
        'gpufleet_reference_gpu_hourly_cost_dollars',
        'gpufleet_billing_file_up',
        'gpufleet_billing_rows_rejected',
      ],
    );
    assert.equal(costOf(c, 'gpu-a-01'), 1);
    assert.ok(Math.abs((costOf(c, 'dc1-gpu-01') ?? 0) - 1.4546077625570776) < 1e-9);
    assert.equal(costOf(c, 'lambda-01'), 2.1);
    assert.equal(costOf(c, 'gpu-b-01'), 3);
    assert.deepEqual(family(c, 'gpufleet_node_info').samples.find((s) => s.labels.node === 'gpu-a-01'), {
      labels: { node: 'gpu-a-01', provider: 'lambda', infra: 'vm', pricing: 'on_demand', team: 'research' },
      value: 1,
    });
    assert.equal(value(c, 'gpufleet_node_gpus', { node: 'gpu-b-01' }), 4);
    assert.equal(value(c, 'gpufleet_reference_gpu_hourly_cost_dollars', { model: 'NVIDIA H100 80GB HBM3', offer: 'hyperscaler_on_demand' }), 6.98);
    assert.deepEqual(family(c, 'gpufleet_billing_file_up').samples, [
      { labels: { file: priceBook }, value: 1 },
      { labels: { file: join(focusDir, 'jan.csv') }, value: 1 },
    ]);
    for (const f of c.families) assert.equal(f.type, 'gauge');
  });

  it('reports row problems once, when the file is read, and keeps the count', async () => {
    await write(join(focusDir, 'jan.csv'), bill('gpu-a-01', 192, [{ ...taggedRow('gpu-a-01', 0, 1, 1), EffectiveCost: 'n/a' }]));
    const s = source();
    const first = await collect(s);
    assert.deepEqual(first.problems, [`${join(focusDir, 'jan.csv')}:3: EffectiveCost "n/a" is not a number`]);
    assert.equal(value(first, 'gpufleet_billing_rows_rejected', { file: join(focusDir, 'jan.csv') }), 1);
    const second = await collect(s);
    assert.deepEqual(second.problems, []);
    assert.equal(value(second, 'gpufleet_billing_rows_rejected', { file: join(focusDir, 'jan.csv') }), 1);
    assert.equal(costOf(second, 'gpu-a-01'), 1);
  });

  it('re-reads a file that changed', async () => {
    const s = source();
    assert.equal(costOf(await collect(s), 'gpu-a-01'), 1);
    await write(join(focusDir, 'jan.csv'), bill('gpu-a-01', 384));
    assert.equal(costOf(await collect(s), 'gpu-a-01'), 2);
  });

  it('re-reads a file replaced by rename with the same size and mtime', async () => {
    const s = source();
    assert.equal(costOf(await collect(s), 'gpu-a-01'), 1);
    const path = join(focusDir, 'jan.csv');
    const replacement = join(dir, 'jan.csv.new');
    await writeFile(replacement, bill('gpu-a-01', 576)); // same length as 192
    await utimes(replacement, clock, clock);
    await rename(replacement, path);
    assert.equal(costOf(await collect(s), 'gpu-a-01'), 3);
  });

  it('keeps the last good bill when an edit breaks the file, then recovers', async () => {
    const s = source();
    const good = await collect(s);
    const path = join(focusDir, 'jan.csv');
    await write(path, 'ChargePeriodStart;ChargePeriodEnd;EffectiveCost\n2024-01-01;2024-01-02;5\n');
    const broken = await collect(s);
    assert.ok(broken.stale instanceof SourceError);
    assert.equal(broken.stale.message, `${path}:1:1: not a FOCUS export: missing column ChargePeriodStart, ChargePeriodEnd, EffectiveCost, one of Tags, ResourceId, ResourceName`);
    assert.deepEqual(broken.families.slice(0, 4), good.families.slice(0, 4));
    assert.equal(value(broken, 'gpufleet_billing_file_up', { file: path }), 0);

    await write(path, bill('gpu-a-01', 384));
    const fixed = await collect(s);
    assert.equal(fixed.stale, undefined);
    assert.equal(costOf(fixed, 'gpu-a-01'), 2);
    assert.equal(value(fixed, 'gpufleet_billing_file_up', { file: path }), 1);
  });

  it('keeps the last good price book when an edit breaks it', async () => {
    const s = source();
    const good = await collect(s);
    const text = await readFile(priceBook, 'utf8');
    await write(priceBook, text.replace('gpu_hourly_cost: 3.0', 'gpu_hourly_cost: three'));
    const broken = await collect(s);
    assert.ok(broken.stale instanceof SourceError);
    assert.match(broken.stale.message, new RegExp(`^${escape(priceBook)}:\\d+:22: nodes\\[3\\]\\.gpu_hourly_cost: `));
    assert.deepEqual(broken.families.slice(0, 4), good.families.slice(0, 4));
    assert.equal(value(broken, 'gpufleet_billing_file_up', { file: priceBook }), 0);

    await write(priceBook, text.replace('gpu_hourly_cost: 3.0', 'gpu_hourly_cost: 3.5'));
    const fixed = await collect(s);
    assert.equal(fixed.stale, undefined);
    assert.equal(costOf(fixed, 'gpu-b-01'), 3.5);
  });

  it('reads the bills again under a new price book', async () => {
    await write(join(focusDir, 'jan.csv'), bill('mystery-1', 192));
    const s = source();
    const before = await collect(s);
    assert.equal(costOf(before, 'mystery-1'), undefined);
    assert.match(before.problems.join('\n'), /node "mystery-1" has no GPU count/);
    const text = await readFile(priceBook, 'utf8');
    await write(priceBook, text.replace('nodes:\n', 'nodes:\n  - { match: "mystery-*", provider: p, infra: vm, pricing: spot, team: t, gpus: 4 }\n'));
    const after = await collect(s);
    assert.equal(costOf(after, 'mystery-1'), 2); // 192 $ / (24 h × 4 GPUs)
    assert.deepEqual(after.problems, []);
  });

  it('says a listed file vanished and keeps its last good bill', async () => {
    const path = join(focusDir, 'jan.csv');
    const s = source({ focus: [path] });
    await collect(s);
    await rm(path);
    const c = await collect(s);
    assert.ok(c.stale instanceof SourceError);
    assert.equal(c.stale.message, `${path}: FOCUS file vanished`);
    assert.equal(costOf(c, 'gpu-a-01'), 1);
    assert.equal(value(c, 'gpufleet_billing_file_up', { file: path }), 0);
  });

  it('says the price book vanished and keeps serving it', async () => {
    const s = source();
    await collect(s);
    await rm(priceBook);
    const c = await collect(s);
    assert.equal(c.stale?.message, `${priceBook}: price book vanished`);
    assert.equal(costOf(c, 'lambda-01'), 2.1);
  });

  it('follows files added to and removed from a FOCUS directory', async () => {
    const s = source();
    await collect(s);
    await write(join(focusDir, 'feb.csv'), bill('gpu-a-02', 384));
    await write(join(focusDir, '.partial.csv'), 'garbage');
    await write(join(focusDir, 'notes.txt'), 'not a bill');
    const added = await collect(s);
    assert.equal(costOf(added, 'gpu-a-02'), 2);
    assert.equal(added.stale, undefined);
    await rm(join(focusDir, 'feb.csv'));
    const removed = await collect(s);
    assert.equal(removed.stale, undefined);
    // gpu-a-02 was known only from that bill: it is gone, not priced from the gpu-a-* glob.
    assert.equal(costOf(removed, 'gpu-a-02'), undefined);
    assert.equal(value(removed, 'gpufleet_node_info', { node: 'gpu-a-02' }), undefined);
    assert.deepEqual(
      family(removed, 'gpufleet_billing_file_up').samples.map((s) => s.labels.file),
      [priceBook, join(focusDir, 'jan.csv')],
    );
  });

  it('says a FOCUS directory vanished and keeps its bills', async () => {
    const s = source();
    await collect(s);
    await rm(focusDir, { recursive: true });
    const c = await collect(s);
    assert.ok(c.stale instanceof SourceError);
    assert.match(c.stale.message, new RegExp(`${escape(focusDir)}: cannot read FOCUS input`));
    assert.equal(costOf(c, 'gpu-a-01'), 1);
  });

  it('fails when an input has never been read', async () => {
    await write(priceBook, 'nodes:\n  - match: x\n');
    await assert.rejects(collect(source()), (err: Error) => {
      assert.ok(err instanceof SourceError);
      assert.match(err.message, new RegExp(`^${escape(priceBook)}:2:5: nodes\\[0\\]\\.provider: required but missing`));
      return true;
    });
    await copyFile(TEST_PRICE_BOOK, priceBook);
    await write(join(focusDir, 'broken.csv'), '');
    await assert.rejects(collect(source()), new RegExp(`${escape(join(focusDir, 'broken.csv'))}:1:1: empty file`));
    await assert.rejects(collect(source({ focus: [join(dir, 'nowhere')] })), /nowhere: cannot read FOCUS input/);
    await assert.rejects(collect(source({ priceBook: join(dir, 'none.yaml') })), /none\.yaml: price book not found/);
  });

  it('shares one refresh between concurrent collections', async () => {
    const s = source();
    const [a, b] = await Promise.all([collect(s), collect(s)]);
    assert.equal(a.families, b.families);
  });

  it('honours an aborted scrape', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(source().collect(controller.signal));
  });

  it('rejects nonsensical options', () => {
    assert.throws(() => source({ windowDays: 0 }), RangeError);
    assert.throws(() => source({ windowDays: Number.NaN }), RangeError);
    assert.throws(() => source({ nodeTag: '' }), RangeError);
  });

  it('uses the node tag and window it is given', async () => {
    await write(
      join(focusDir, 'jan.csv'),
      focusCsv([
        { ...taggedRow('x', 0, 24, 384), Tags: JSON.stringify({ host: 'gpu-a-07' }) },
        { ...taggedRow('x', 28 * 24, 29 * 24, 192), Tags: JSON.stringify({ host: 'gpu-a-07' }) },
      ]),
    );
    const narrow = await collect(source({ nodeTag: 'host', windowDays: 2 }));
    assert.equal(costOf(narrow, 'gpu-a-07'), 1);
    const wide = await collect(source({ nodeTag: 'host', windowDays: 30 }));
    assert.equal(costOf(wide, 'gpu-a-07'), 1.5);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
