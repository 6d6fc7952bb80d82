import { open } from 'node:fs/promises';
import picomatch from 'picomatch';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { SourceError } from '../source.js';
import { ownedGpuHourlyCost, type OwnedHardware } from './amortise.js';
import { BoundedCache } from './bounded-cache.js';
import { formatPath, locateInYaml } from '../../yaml-location.js';

/*
 * The price book: what each node is (provider, infrastructure, pricing model, team, GPU count) and,
 * when no bill says otherwise, what a GPU-hour on it costs. Its format is documented, with comments,
 * in exporter/examples/pricebook.yaml.
 *
 * Which nodes exist: an entry whose `match` has no glob characters names a node, which is exported
 * even when no bill mentions it. Glob entries name no node by themselves: they describe nodes named
 * by FOCUS rows or listed under `fleet:`. The first entry that matches a name wins.
 */

export const INFRA_KINDS = ['bare_metal', 'vm', 'cloud'] as const;
export type Infra = (typeof INFRA_KINDS)[number];
export const PRICING_MODELS = ['on_demand', 'reserved', 'spot', 'owned'] as const;
export type Pricing = (typeof PRICING_MODELS)[number];

/** A price book larger than this is not a price book; refusing it keeps a stray file from eating memory. */
const MAX_PRICE_BOOK_BYTES = 8 * 1024 * 1024;

const money = z.number().nonnegative();

const ownedSchema = z.strictObject({
  capex: money,
  years: z.number().positive(),
  power_kw: z.number().nonnegative(),
  energy_cost_per_kwh: money,
  pue: z.number().min(1, 'PUE is at least 1').default(1),
  colocation_per_month: money.default(0),
});

const nodeEntrySchema = z
  .strictObject({
    match: z.string().trim().min(1),
    provider: z.string().trim().min(1),
    infra: z.enum(INFRA_KINDS),
    pricing: z.enum(PRICING_MODELS),
    team: z.string().trim().min(1),
    gpus: z.number().positive().optional(),
    gpu_hourly_cost: money.optional(),
    owned: ownedSchema.optional(),
    resource_ids: z.array(z.string().trim().min(1)).default([]),
  })
  .superRefine((entry, ctx) => {
    if (entry.gpu_hourly_cost !== undefined && entry.owned !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['owned'], message: 'give either gpu_hourly_cost or owned, not both' });
    }
    if (entry.owned !== undefined && entry.pricing !== 'owned') {
      ctx.addIssue({ code: 'custom', path: ['owned'], message: 'owned hardware needs pricing: owned' });
    }
    if (entry.owned !== undefined && entry.gpus === undefined) {
      ctx.addIssue({ code: 'custom', path: ['gpus'], message: 'owned hardware needs gpus to share its cost' });
    }
    if (entry.resource_ids.length > 0 && isGlob(entry.match)) {
      ctx.addIssue({ code: 'custom', path: ['resource_ids'], message: 'resource_ids need an exact node name in match, not a glob' });
    }
  });

const referenceSchema = z.strictObject({
  model: z.string().trim().min(1),
  offer: z.string().trim().min(1),
  gpu_hourly_cost: money,
});

const priceBookSchema = z
  .strictObject({
    // The exported metrics are in dollars; a price book in another currency would be silently wrong.
    currency: z.literal('USD', { error: 'only USD is supported (the metrics are in dollars)' }).default('USD'),
    fleet: z.array(z.string().trim().min(1)).default([]),
    nodes: z.array(nodeEntrySchema).default([]),
    references: z.array(referenceSchema).default([]),
  })
  .superRefine((book, ctx) => {
    const explicit = new Map<string, number>();
    const resourceIds = new Map<string, number>();
    const globs: { index: number; test: (name: string) => boolean }[] = [];
    book.nodes.forEach((entry, index) => {
      if (isGlob(entry.match)) {
        globs.push({ index, test: picomatch(entry.match, GLOB_OPTIONS) });
        return;
      }
      const first = explicit.get(entry.match);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['nodes', index, 'match'], message: `node "${entry.match}" is already priced by nodes[${first}]` });
      } else {
        explicit.set(entry.match, index);
      }
      const shadow = globs.find((glob) => glob.test(entry.match));
      if (shadow !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', index, 'match'],
          message: `node "${entry.match}" is already matched by nodes[${shadow.index}] (first match wins): move this entry above it`,
        });
      }
      entry.resource_ids.forEach((id, idIndex) => {
        const owner = resourceIds.get(id);
        if (owner !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['nodes', index, 'resource_ids', idIndex], message: `resource id "${id}" already belongs to nodes[${owner}]` });
        } else {
          resourceIds.set(id, index);
        }
      });
    });
    book.fleet.forEach((name, index) => {
      if (!explicit.has(name) && !globs.some((glob) => glob.test(name))) {
        ctx.addIssue({ code: 'custom', path: ['fleet', index], message: `fleet node "${name}" matches no nodes entry` });
      }
    });
    const offers = new Set<string>();
    book.references.forEach((ref, index) => {
      const key = `${ref.model}\u0000${ref.offer}`;
      if (offers.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['references', index], message: `reference "${ref.model}" / "${ref.offer}" is listed twice` });
      }
      offers.add(key);
    });
  });

const GLOB_OPTIONS = { dot: true } as const;

/** True when a `match` value is a pattern rather than one node's exact name. */
export function isGlob(match: string): boolean {
  return picomatch.scan(match).isGlob;
}

export interface PriceBookEntry {
  /** Position in `nodes:`, for messages. */
  index: number;
  match: string;
  /** An exact node name, exported even when no bill names it. */
  explicit: boolean;
  provider: string;
  infra: Infra;
  pricing: Pricing;
  team: string;
  gpus: number | undefined;
  /** Dollars per GPU-hour from the price book: given directly or amortised from owned hardware. */
  gpuHourlyCost: number | undefined;
  owned: OwnedHardware | undefined;
  resourceIds: readonly string[];
}

export interface ReferenceOffer {
  model: string;
  offer: string;
  gpuHourlyCost: number;
}

/** Names are looked up once per FOCUS row; a bounded cache keeps repeated names cheap. */
const MATCH_CACHE_LIMIT = 65536;

export class PriceBook {
  private readonly matchers: ((name: string) => boolean)[];
  private readonly byResourceId = new Map<string, PriceBookEntry>();
  private readonly cache = new BoundedCache<string, PriceBookEntry | null>(MATCH_CACHE_LIMIT);

  constructor(
    /** The file it was read from, for messages and the file label. */
    readonly file: string,
    readonly entries: readonly PriceBookEntry[],
    /** Node names listed under `fleet:`, described by glob entries. */
    readonly fleet: readonly string[],
    readonly references: readonly ReferenceOffer[],
  ) {
    this.matchers = entries.map((entry) => (entry.explicit ? (name: string) => name === entry.match : picomatch(entry.match, GLOB_OPTIONS)));
    for (const entry of entries) for (const id of entry.resourceIds) this.byResourceId.set(id, entry);
  }

  /** The first entry matching a node name. */
  entryFor(name: string): PriceBookEntry | undefined {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached ?? undefined;
    let found: PriceBookEntry | null = null;
    for (let i = 0; i < this.entries.length; i++) {
      if ((this.matchers[i] as (name: string) => boolean)(name)) {
        found = this.entries[i] as PriceBookEntry;
        break;
      }
    }
    this.cache.set(name, found);
    return found ?? undefined;
  }

  /** The entry claiming a FOCUS ResourceId through `resource_ids`. */
  entryForResourceId(resourceId: string): PriceBookEntry | undefined {
    return this.byResourceId.get(resourceId);
  }

  /** Nodes the price book itself names: exact `match` entries, then `fleet:` names, without repeats. */
  namedNodes(): string[] {
    const names = new Set<string>();
    for (const entry of this.entries) if (entry.explicit) names.add(entry.match);
    for (const name of this.fleet) names.add(name);
    return [...names];
  }
}

/** Parses price book text; throws a SourceError naming file:line:column of the first problems. */
export function parsePriceBook(text: string, file: string): PriceBook {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const messages = doc.errors.slice(0, 5).map((err) => {
      const pos = lineCounter.linePos(err.pos[0]);
      return `${file}:${pos.line}:${pos.col}: ${firstLine(err.message)}`;
    });
    throw new SourceError(messages.join('; '));
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new SourceError(`${file}:1:1: ${(err as Error).message}`);
  }
  if (raw === null || raw === undefined) {
    throw new SourceError(`${file}:1:1: the price book is empty (expected a mapping with nodes:, fleet:, references:)`);
  }
  const result = priceBookSchema.safeParse(raw);
  if (!result.success) {
    const messages = result.error.issues.slice(0, 5).map((issue) => {
      const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      const at = locateInYaml(doc, lineCounter, issue.path, unknownKey);
      const where = formatPath(issue.path);
      const missing = issue.code !== 'custom' && issue.path.length > 0 && valueAt(raw, issue.path) === undefined;
      return `${file}:${at.line}:${at.column}: ${where === '' ? '' : `${where}: `}${missing ? 'required but missing' : issue.message}`;
    });
    const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
    throw new SourceError(messages.join('; ') + more);
  }
  const book = result.data;
  const entries: PriceBookEntry[] = book.nodes.map((node, index) => {
    const owned: OwnedHardware | undefined = node.owned && {
      capex: node.owned.capex,
      years: node.owned.years,
      powerKw: node.owned.power_kw,
      energyCostPerKwh: node.owned.energy_cost_per_kwh,
      pue: node.owned.pue,
      colocationPerMonth: node.owned.colocation_per_month,
    };
    const gpuHourlyCost = owned !== undefined && node.gpus !== undefined ? ownedGpuHourlyCost(owned, node.gpus) : node.gpu_hourly_cost;
    return {
      index,
      match: node.match,
      explicit: !isGlob(node.match),
      provider: node.provider,
      infra: node.infra,
      pricing: node.pricing,
      team: node.team,
      gpus: node.gpus,
      gpuHourlyCost,
      owned,
      resourceIds: node.resource_ids,
    };
  });
  const references = book.references.map((ref) => ({ model: ref.model, offer: ref.offer, gpuHourlyCost: ref.gpu_hourly_cost }));
  return new PriceBook(file, entries, [...new Set(book.fleet)], references);
}

/** Reads and parses a price book file. */
export async function loadPriceBook(file: string): Promise<PriceBook> {
  return parsePriceBook(await readBounded(file, MAX_PRICE_BOOK_BYTES), file);
}

async function readBounded(file: string, maxBytes: number): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw new SourceError(`${file}: cannot read price book: ${(err as Error).message}`, { cause: err });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new SourceError(`${file}: the price book is not a regular file`);
    if (info.size > maxBytes) throw new SourceError(`${file}: the price book is ${info.size} bytes, more than the ${maxBytes} accepted`);
    const text = await handle.readFile({ encoding: 'utf8' });
    if (Buffer.byteLength(text) > maxBytes) throw new SourceError(`${file}: the price book grew past ${maxBytes} bytes while being read`);
    return text;
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError(`${file}: cannot read price book: ${(err as Error).message}`, { cause: err });
  } finally {
    await handle.close();
  }
}

/** The raw value at a validation path, to tell a missing key from a wrong value. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const step of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

function firstLine(message: string): string {
  const end = message.indexOf('\n');
  return end === -1 ? message : message.slice(0, end);
}
