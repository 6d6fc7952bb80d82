import { createReadStream } from 'node:fs';
import { Writable, type Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { parse, type CsvError } from 'csv-parse';
import { SourceError } from '../source.js';
import { BoundedCache } from './bounded-cache.js';
import { ChargeIntervals } from './charge-intervals.js';
import { cellText, parseDecimal, parseTimestamp } from './focus-values.js';
import { identifyRowNode } from './node-identity.js';
import type { Pricing, PriceBook } from './pricebook.js';

/*
 * Reader of FinOps FOCUS cost-and-usage CSV exports, versions 1.0 to 1.3. Streams the file (any size)
 * and keeps, per GPU node, only the charges a cost window can still need.
 *
 * Columns used (matched case-insensitively, any order, extra and x_ columns ignored):
 *   required  ChargePeriodStart, ChargePeriodEnd, EffectiveCost, and one of Tags / ResourceId / ResourceName
 *   optional  ChargeCategory (Usage, or none, marks the hours a node ran; Tax, Credit, Adjustment and
 *             Purchase rows add cost), BillingCurrency (must be USD), PricingCategory,
 *             ServiceProviderName (1.3) or else ProviderName (1.0–1.2, deprecated in 1.3),
 *             SkuPriceDetails (1.1+; GPU count), x_GpuCount (a provider's own GPU-count column)
 *
 * Rows used: those naming a node through the node tag, a price-book `resource_ids` or `match`, or
 * billing GPUs (SkuPriceDetails GpuCount). Other rows (storage, network, account-level fees) belong
 * to no GPU node and are counted as ignored, not rejected. Cells are checked only on rows used.
 */

/** SkuPriceDetails keys giving a GPU count: the FOCUS-defined key and its provider-defined spelling. */
export const GPU_COUNT_KEYS = ['GpuCount', 'x_GpuCount'] as const;
const GPU_COUNT_KEYS_LOWER = new Set(GPU_COUNT_KEYS.map((key) => key.toLowerCase()));
const GPU_COUNT_HINT = /gpucount/i;

/** Past this many messages a file's problems are counted, not listed. */
export const MAX_PROBLEMS_PER_FILE = 100;

const MAX_RECORD_CHARS = 1_000_000;

/** One GPU node's charges in one file. */
export interface FocusNodeCharges {
  node: string;
  /** Line of its first row, for messages about the node as a whole. */
  firstLine: number;
  rows: number;
  charges: ChargeIntervals;
  /** Earliest ChargePeriodStart and latest ChargePeriodEnd of all its rows (epoch ms). */
  firstStart: number;
  latestEnd: number;
  /** Latest values seen in the rows (by charge period end); undefined when no row said. */
  gpus: number | undefined;
  provider: string | undefined;
  pricing: Pricing | undefined;
  gpusAt: number;
  providerAt: number;
  pricingAt: number;
  /** 1 once pricing came from a row that bills GPUs, which then outranks other rows. */
  pricingRank: number;
}

export interface FocusFile {
  file: string;
  nodes: Map<string, FocusNodeCharges>;
  /** Data rows read (header excluded). */
  rows: number;
  /** Rows about a GPU node that were kept. */
  rowsUsed: number;
  /** Rows about other resources (storage, network, account fees), not the fleet's business. */
  rowsIgnored: number;
  rowsRejected: number;
  /** "<file>:<line>: <reason>" for rejected rows, at most MAX_PROBLEMS_PER_FILE plus a count line. */
  problems: string[];
}

export interface FocusReadOptions {
  priceBook: PriceBook;
  /** Tags key whose value is the node name. */
  nodeTag: string;
  /** Length of the cost window, so charges no window can reach are dropped while reading. */
  windowMs: number;
  /** Current time (epoch ms): windows never reach past it. */
  now: number;
}

/** Reads one FOCUS CSV file (`.csv`, or `.csv.gz` compressed). Throws SourceError when the file as a whole is unusable. */
export async function readFocusFile(file: string, options: FocusReadOptions): Promise<FocusFile> {
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  return readFocus(file.toLowerCase().endsWith('.gz') ? [input, createGunzip()] : [input], file, options);
}

/** Reads FOCUS CSV from a stream; `file` names it in messages. */
export async function readFocusStream(input: Readable, file: string, options: FocusReadOptions): Promise<FocusFile> {
  return readFocus([input], file, options);
}

async function readFocus(streams: (Readable | Transform)[], file: string, options: FocusReadOptions): Promise<FocusFile> {
  const reader = new FocusRowReader(file, options);
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (record: string[], context) => {
      reader.onRecord(record, context.lines);
      return null;
    },
    on_skip: (err: CsvError | undefined) => {
      reader.onCsvError(err);
      return undefined;
    },
  });
  const discard = new Writable({ objectMode: true, write: (_chunk, _encoding, done) => done() });
  try {
    await pipeline([...streams, parser, discard]);
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError(`${file}: cannot read FOCUS export: ${(err as Error).message}`, { cause: err });
  }
  return reader.finish();
}

interface Columns {
  count: number;
  chargePeriodStart: number;
  chargePeriodEnd: number;
  effectiveCost: number;
  tags: number;
  resourceId: number;
  resourceName: number;
  chargeCategory: number;
  billingCurrency: number;
  pricingCategory: number;
  serviceProviderName: number;
  providerName: number;
  skuPriceDetails: number;
  xGpuCount: number;
}

function mapColumns(header: string[], file: string, line: number): Columns {
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    const key = name.trim().toLowerCase();
    if (!index.has(key)) index.set(key, i);
  });
  const at = (name: string): number => index.get(name.toLowerCase()) ?? -1;
  const columns: Columns = {
    count: header.length,
    chargePeriodStart: at('ChargePeriodStart'),
    chargePeriodEnd: at('ChargePeriodEnd'),
    effectiveCost: at('EffectiveCost'),
    tags: at('Tags'),
    resourceId: at('ResourceId'),
    resourceName: at('ResourceName'),
    chargeCategory: at('ChargeCategory'),
    billingCurrency: at('BillingCurrency'),
    pricingCategory: at('PricingCategory'),
    serviceProviderName: at('ServiceProviderName'),
    providerName: at('ProviderName'),
    skuPriceDetails: at('SkuPriceDetails'),
    xGpuCount: at('x_GpuCount'),
  };
  const missing: string[] = [];
  if (columns.chargePeriodStart < 0) missing.push('ChargePeriodStart');
  if (columns.chargePeriodEnd < 0) missing.push('ChargePeriodEnd');
  if (columns.effectiveCost < 0) missing.push('EffectiveCost');
  if (columns.tags < 0 && columns.resourceId < 0 && columns.resourceName < 0) missing.push('one of Tags, ResourceId, ResourceName');
  if (missing.length > 0) {
    throw new SourceError(`${file}:${line}:1: not a FOCUS export: missing column ${missing.join(', ')}`);
  }
  return columns;
}

const PRICING_CATEGORIES: Record<string, Pricing> = { standard: 'on_demand', dynamic: 'spot', committed: 'reserved' };

class FocusRowReader {
  private columns: Columns | undefined;
  private readonly nodes = new Map<string, FocusNodeCharges>();
  private rows = 0;
  private rowsUsed = 0;
  private rowsIgnored = 0;
  private rowsRejected = 0;
  private readonly problems: string[] = [];
  private unlisted = 0;
  /** Tags cell → node tag value (null: none, false: not JSON). */
  private readonly tagCache = new BoundedCache<string, string | null | false>(4096);
  /** SkuPriceDetails cell → GPU count (null: none, string: why unusable). */
  private readonly skuCache = new BoundedCache<string, number | string | null>(4096);

  constructor(
    private readonly file: string,
    private readonly options: FocusReadOptions,
  ) {}

  onRecord(record: string[], line: number): void {
    if (this.columns === undefined) {
      this.columns = mapColumns(record, this.file, line);
      return;
    }
    this.rows++;
    try {
      const reason = this.readRow(record, line, this.columns);
      if (reason !== undefined) this.reject(line, reason);
    } catch (err) {
      // Whatever a row holds, it costs that row only.
      this.reject(line, `unreadable row: ${(err as Error).message}`);
    }
  }

  onCsvError(err: CsvError | undefined): void {
    if (this.columns !== undefined) this.rows++;
    const line = (err as { lines?: number } | undefined)?.lines ?? 0;
    this.reject(line, `malformed CSV: ${err?.message ?? 'unknown error'}`);
  }

  finish(): FocusFile {
    if (this.columns === undefined) {
      throw new SourceError(`${this.file}:1:1: empty file: no FOCUS header row`);
    }
    if (this.rowsRejected > 0 && this.rowsUsed === 0 && this.rowsIgnored === 0) {
      // Not one row made sense: a broken file (wrong delimiter, shifted columns, binary), not a bill.
      const first = this.problems[0] ?? `${this.file}:1`;
      throw new SourceError(`${this.file}: every row was rejected (${this.rowsRejected}); first: ${withColumn(first)}`);
    }
    const problems = [...this.problems];
    if (this.unlisted > 0) problems.push(`${this.file}: ${this.unlisted} more rejected rows not listed`);
    return {
      file: this.file,
      nodes: this.nodes,
      rows: this.rows,
      rowsUsed: this.rowsUsed,
      rowsIgnored: this.rowsIgnored,
      rowsRejected: this.rowsRejected,
      problems,
    };
  }

  private reject(line: number, reason: string): void {
    this.rowsRejected++;
    if (this.problems.length < MAX_PROBLEMS_PER_FILE) this.problems.push(`${this.file}:${line}: ${reason}`);
    else this.unlisted++;
  }

  /** Uses one data row; returns why it was rejected, or undefined. */
  private readRow(record: string[], line: number, c: Columns): string | undefined {
    if (record.length !== c.count) return `expected ${c.count} fields, found ${record.length}`;

    let tagNode: string | undefined;
    if (c.tags >= 0) {
      const tags = cellText(record[c.tags]);
      if (tags !== undefined) {
        const found = this.tagNode(tags);
        if (found === false) return 'Tags is not a JSON object';
        tagNode = found;
      }
    }
    const resourceId = c.resourceId >= 0 ? cellText(record[c.resourceId]) : undefined;
    const resourceName = c.resourceName >= 0 ? cellText(record[c.resourceName]) : undefined;
    const identity = identifyRowNode(tagNode, resourceId, resourceName, this.options.priceBook);
    if (identity === undefined) {
      this.rowsIgnored++;
      return undefined;
    }

    let gpus: number | undefined;
    if (identity.entry?.gpus === undefined) {
      const found = this.rowGpuCount(record, c);
      if (typeof found === 'string') return found;
      gpus = found;
    }
    if (!identity.claimed && gpus === undefined) {
      this.rowsIgnored++;
      return undefined;
    }

    const start = parseTimestamp(record[c.chargePeriodStart]);
    if (Number.isNaN(start)) return `ChargePeriodStart ${quote(record[c.chargePeriodStart])} is not a date`;
    const end = parseTimestamp(record[c.chargePeriodEnd]);
    if (Number.isNaN(end)) return `ChargePeriodEnd ${quote(record[c.chargePeriodEnd])} is not a date`;
    if (end < start) return 'ChargePeriodEnd is before ChargePeriodStart';
    const cost = parseDecimal(record[c.effectiveCost]);
    if (Number.isNaN(cost)) return `EffectiveCost ${quote(record[c.effectiveCost])} is not a number`;
    if (c.billingCurrency >= 0) {
      const currency = cellText(record[c.billingCurrency]);
      if (currency !== undefined && currency.toUpperCase() !== 'USD') return `BillingCurrency ${currency} is not USD`;
    }

    const category = c.chargeCategory >= 0 ? cellText(record[c.chargeCategory]) : undefined;
    const usage = category === undefined || category.toLowerCase() === 'usage';
    const provider =
      (c.serviceProviderName >= 0 ? cellText(record[c.serviceProviderName]) : undefined) ??
      (c.providerName >= 0 ? cellText(record[c.providerName]) : undefined);
    const pricingText = c.pricingCategory >= 0 ? cellText(record[c.pricingCategory]) : undefined;
    const pricing = pricingText === undefined ? undefined : PRICING_CATEGORIES[pricingText.toLowerCase()];

    let node = this.nodes.get(identity.node);
    if (node === undefined) {
      node = {
        node: identity.node,
        firstLine: line,
        rows: 0,
        charges: new ChargeIntervals(),
        firstStart: start,
        latestEnd: end,
        gpus: undefined,
        provider: undefined,
        pricing: undefined,
        gpusAt: -Infinity,
        providerAt: -Infinity,
        pricingAt: -Infinity,
        pricingRank: 0,
      };
      this.nodes.set(identity.node, node);
    }
    node.rows++;
    if (start < node.firstStart) node.firstStart = start;
    if (end > node.latestEnd) node.latestEnd = end;
    if (gpus !== undefined && end >= node.gpusAt) {
      node.gpus = gpus;
      node.gpusAt = end;
    }
    if (provider !== undefined && end >= node.providerAt) {
      node.provider = provider;
      node.providerAt = end;
    }
    // The row billing the GPUs says how the node is priced; its disk or network rows may not.
    const pricingRank = gpus !== undefined ? 1 : 0;
    if (pricing !== undefined && usage && (pricingRank > node.pricingRank || (pricingRank === node.pricingRank && end >= node.pricingAt))) {
      node.pricing = pricing;
      node.pricingAt = end;
      node.pricingRank = pricingRank;
    }
    // No window can start before (the earliest window end) − window, so older charges can go.
    const keepFrom = Math.min(node.latestEnd, this.options.now) - this.options.windowMs;
    node.charges.add(start, end, cost, usage, keepFrom);
    this.rowsUsed++;
    return undefined;
  }

  /** The node tag's value in a Tags cell; false when the cell is not JSON. */
  private tagNode(tags: string): string | undefined | false {
    // Tags are JSON and often long: only cells that can hold the node tag are parsed, each once.
    if (!tags.includes(this.options.nodeTag)) return undefined;
    const cached = this.tagCache.get(tags);
    if (cached !== undefined) return cached ?? undefined;
    const parsed = parseJsonObject(tags);
    let found: string | null | false = false;
    if (parsed !== undefined) {
      const value = parsed[this.options.nodeTag];
      found = typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
    }
    this.tagCache.set(tags, found);
    return found ?? undefined;
  }

  /** GPUs billed by this row (SkuPriceDetails, then x_GpuCount); a string is a rejection reason. */
  private rowGpuCount(record: string[], c: Columns): number | undefined | string {
    if (c.skuPriceDetails >= 0) {
      const details = cellText(record[c.skuPriceDetails]);
      if (details !== undefined && GPU_COUNT_HINT.test(details)) {
        let count = this.skuCache.get(details);
        if (count === undefined) {
          count = skuGpuCount(details);
          this.skuCache.set(details, count);
        }
        if (count !== null) return count;
      }
    }
    if (c.xGpuCount >= 0) {
      const text = cellText(record[c.xGpuCount]);
      if (text !== undefined) {
        const count = parseDecimal(text);
        if (Number.isNaN(count) || count < 0) return `x_GpuCount ${quote(text)} is not a GPU count`;
        if (count > 0) return count;
      }
    }
    return undefined;
  }
}

/** GPU count of a SkuPriceDetails cell: a number, null when it gives none, or why it is unusable. */
function skuGpuCount(details: string): number | string | null {
  const parsed = parseJsonObject(details);
  if (parsed === undefined) return 'SkuPriceDetails is not a JSON object';
  for (const key of Object.keys(parsed)) {
    if (!GPU_COUNT_KEYS_LOWER.has(key.toLowerCase())) continue;
    const count = gpuCountValue(parsed[key]);
    if (count === undefined) return `SkuPriceDetails ${key} ${JSON.stringify(parsed[key])} is not a GPU count`;
    if (count > 0) return count;
  }
  return null;
}

/** A count of GPUs: a non-negative number (fractional for shared GPUs), as a JSON number or numeric string. */
function gpuCountValue(value: unknown): number | undefined {
  const count = typeof value === 'number' ? value : typeof value === 'string' ? parseDecimal(value) : NaN;
  return Number.isFinite(count) && count >= 0 ? count : undefined;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function quote(cell: string | undefined): string {
  const text = cell ?? '';
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/** "<file>:<line>: reason" → "<file>:<line>:1: reason", the file:line:column form of whole-file errors. */
function withColumn(problem: string): string {
  return problem.replace(/^(.*?:\d+): /, '$1:1: ');
}
