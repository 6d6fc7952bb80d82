import { windowTotals } from './charge-intervals.js';
import type { FocusFile, FocusNodeCharges } from './focus.js';
import type { Infra, Pricing, PriceBook } from './pricebook.js';

/*
 * The price book and the FOCUS bills combined into one price per GPU-hour per node.
 *
 * - Which nodes: the price book's exact names and `fleet:` list, plus every node a FOCUS row names
 *   that was billed within the last window of the data (a node whose bills stopped long before the
 *   others' is gone and is not exported).
 * - Price: the FOCUS effective cost when the bills give one, because it is what was actually paid;
 *   otherwise the price book's rate (`gpu_hourly_cost`, or `owned` amortised).
 * - FOCUS price of a node = Σ EffectiveCost ÷ (covered hours × GPUs) over its window: the
 *   `windowMs` ending at its latest ChargePeriodEnd, or now if that is earlier. Covered hours are the
 *   union of its Usage charge periods (of all its charges when it has no Usage row, e.g. a monthly fee
 *   booked as Purchase). Charges straddling the window's start count pro rata.
 * - Labels: the first matching price-book entry; a node the price book does not know is `infra=cloud`,
 *   `team=unassigned`, provider from ServiceProviderName/ProviderName, pricing from PricingCategory
 *   (Standard → on_demand, Dynamic → spot, Committed → reserved; on_demand when absent).
 * - GPUs: price-book `gpus`, else the latest SkuPriceDetails GpuCount of its rows.
 */

const HOUR_MS = 3_600_000;

export type CostBasis = 'focus' | 'price_book';

export interface NodeCost {
  node: string;
  provider: string;
  infra: Infra;
  pricing: Pricing;
  team: string;
  gpus: number | undefined;
  /** Dollars per GPU-hour; undefined when neither the bills nor the price book price the node. */
  gpuHourlyCost: number | undefined;
  costBasis: CostBasis | undefined;
}

export interface NodeCostOptions {
  windowMs: number;
  /** Current time, epoch ms. */
  now: number;
}

export interface NodeCostResult {
  /** Sorted by node name. */
  nodes: NodeCost[];
  /** Nodes whose bills could not be used, each naming the file and line of the node's first row. */
  problems: string[];
  /** Rows rejected because their node as a whole was unusable (no GPU count), per file. */
  rejectedRows: Map<string, number>;
  /** True when the result changes as time passes (some charge period ends after now). */
  dependsOnNow: boolean;
}

interface BilledNode {
  parts: { file: string; charges: FocusNodeCharges }[];
  firstStart: number;
  latestEnd: number;
  windowEnd: number;
}

interface FocusPrice {
  gpus: number | undefined;
  gpuHourlyCost: number | undefined;
  provider: string | undefined;
  pricing: Pricing | undefined;
}

export function computeNodeCosts(book: PriceBook, files: readonly FocusFile[], options: NodeCostOptions): NodeCostResult {
  const { now, windowMs } = options;
  const problems: string[] = [];
  const rejectedRows = new Map<string, number>();
  let dependsOnNow = false;

  const billed = new Map<string, BilledNode>();
  for (const file of files) {
    for (const charges of file.nodes.values()) {
      let node = billed.get(charges.node);
      if (node === undefined) {
        node = { parts: [], firstStart: charges.firstStart, latestEnd: charges.latestEnd, windowEnd: 0 };
        billed.set(charges.node, node);
      }
      node.parts.push({ file: file.file, charges });
      if (charges.firstStart < node.firstStart) node.firstStart = charges.firstStart;
      if (charges.latestEnd > node.latestEnd) node.latestEnd = charges.latestEnd;
    }
  }

  let dataEnd = -Infinity;
  for (const node of billed.values()) {
    // Bills may run ahead of the clock (a month's fee billed on the 1st); a window never passes now.
    // A clock before all of a node's charges is a clock problem, not a reason to drop its bills.
    node.windowEnd = now > node.firstStart && now < node.latestEnd ? now : node.latestEnd;
    if (now < node.latestEnd) dependsOnNow = true;
    if (node.windowEnd > dataEnd) dataEnd = node.windowEnd;
  }

  const focusPrices = new Map<string, FocusPrice>();
  for (const [name, node] of billed) {
    if (node.windowEnd < dataEnd - windowMs) continue;
    const entry = book.entryFor(name);
    const latest = latestAttributes(node);
    const gpus = entry?.gpus ?? latest.gpus;
    const first = node.parts[0] as BilledNode['parts'][number];
    const where = `${first.file}:${first.charges.firstLine}`;
    if (gpus === undefined) {
      let rows = 0;
      for (const part of node.parts) {
        rows += part.charges.rows;
        rejectedRows.set(part.file, (rejectedRows.get(part.file) ?? 0) + part.charges.rows);
      }
      problems.push(
        `${where}: node "${name}" has no GPU count: set gpus in the price book or bill it with ` +
          `SkuPriceDetails GpuCount; its ${rows} rows are not used`,
      );
      continue;
    }
    const totals = windowTotals(
      node.parts.map((part) => part.charges.charges),
      node.windowEnd - windowMs,
      node.windowEnd,
    );
    const coveredMs = totals.usageCoveredMs > 0 ? totals.usageCoveredMs : totals.coveredMs;
    let gpuHourlyCost: number | undefined;
    if (coveredMs <= 0) {
      if (totals.cost !== 0) problems.push(`${where}: node "${name}" has cost but no charge period in the window covers any time; its bill is not used`);
    } else {
      const price = totals.cost / ((coveredMs / HOUR_MS) * gpus);
      if (price < 0) {
        problems.push(`${where}: node "${name}" has a negative net EffectiveCost over the window (${totals.cost.toFixed(2)}); its bill is not used`);
      } else {
        gpuHourlyCost = price;
      }
    }
    focusPrices.set(name, { gpus, gpuHourlyCost, provider: latest.provider, pricing: latest.pricing });
  }

  const names = new Set<string>(book.namedNodes());
  for (const name of focusPrices.keys()) names.add(name);
  const nodes: NodeCost[] = [];
  for (const name of [...names].sort()) {
    const entry = book.entryFor(name);
    const focus = focusPrices.get(name);
    const focusCost = focus?.gpuHourlyCost;
    const gpuHourlyCost = focusCost ?? entry?.gpuHourlyCost;
    nodes.push({
      node: name,
      provider: entry?.provider ?? focus?.provider ?? 'unknown',
      infra: entry?.infra ?? 'cloud',
      pricing: entry?.pricing ?? focus?.pricing ?? 'on_demand',
      team: entry?.team ?? 'unassigned',
      gpus: entry?.gpus ?? focus?.gpus,
      gpuHourlyCost,
      costBasis: focusCost !== undefined ? 'focus' : gpuHourlyCost !== undefined ? 'price_book' : undefined,
    });
  }
  return { nodes, problems, rejectedRows, dependsOnNow };
}

/** The most recent GPU count, provider and pricing any of the node's files reported. */
function latestAttributes(node: BilledNode): Pick<FocusPrice, 'gpus' | 'provider' | 'pricing'> {
  let gpus: number | undefined;
  let provider: string | undefined;
  let pricing: Pricing | undefined;
  let gpusAt = -Infinity;
  let providerAt = -Infinity;
  let pricingAt = -Infinity;
  for (const { charges } of node.parts) {
    if (charges.gpus !== undefined && charges.gpusAt >= gpusAt) {
      gpus = charges.gpus;
      gpusAt = charges.gpusAt;
    }
    if (charges.provider !== undefined && charges.providerAt >= providerAt) {
      provider = charges.provider;
      providerAt = charges.providerAt;
    }
    if (charges.pricing !== undefined && charges.pricingAt >= pricingAt) {
      pricing = charges.pricing;
      pricingAt = charges.pricingAt;
    }
  }
  return { gpus, provider, pricing };
}
