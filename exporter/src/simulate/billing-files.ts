import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document } from 'yaml';

import { hashInts, hashString, mulberry32, randomHex } from './random.js';
import type { NodeBilling, Pricing, Scenario, ScenarioNode } from './scenario.js';

/*
 * The billing inputs a simulated fleet would have: a price book (what each node is and, for owned
 * or flat-rate nodes, what it costs) and one FinOps FOCUS 1.2 CSV export per provider with an hourly
 * usage row per rented node. A row's EffectiveCost is the node's GPUs × its scenario price × 1 hour,
 * so the effective $/GPU-hour the billing role derives equals the scenario price exactly.
 */

const HOUR_MS = 3_600_000;
/** 365 days, the convention of hourly price lists (and of the billing role's amortisation). */
const HOURS_PER_YEAR = 8760;

export const FOCUS_COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'BillingAccountId',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargeCategory',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ConsumedQuantity',
  'ConsumedUnit',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'ResourceId',
  'ResourceName',
  'ServiceCategory',
  'ServiceName',
  'SkuId',
  'SkuPriceDetails',
  'Tags',
] as const;

/** The FOCUS tag naming the node, the billing role's default. */
export const NODE_TAG = 'gpufleet-node';

const PRICING_CATEGORY: Readonly<Record<Exclude<Pricing, 'owned'>, string>> = {
  on_demand: 'Standard',
  reserved: 'Committed',
  spot: 'Dynamic',
};

/**
 * Dollars per GPU-hour of a node: its contract price, or owned hardware amortised straight-line
 * (capex over years × 8760 h) plus energy (kW × PUE × $/kWh) plus colocation (per month × 12 / 8760),
 * shared by its GPUs.
 */
export function gpuHourlyCost(billing: NodeBilling, gpus: number): number {
  if (billing.owned !== undefined) {
    const o = billing.owned;
    const perHour = o.capex / (o.years * HOURS_PER_YEAR) + o.powerKw * o.pue * o.energyCostPerKwh + (o.colocationPerMonth * 12) / HOURS_PER_YEAR;
    return perHour / gpus;
  }
  return billing.gpuHourlyCost ?? 0;
}

/** Deterministic provider-side id of a rented node, as a cloud bill would show it. */
export function resourceIdOf(scenario: Scenario, node: ScenarioNode): string {
  const next = mulberry32(hashInts(scenario.seed, hashString(node.name), 0xb111));
  return node.billing.infra === 'bare_metal' ? `bm-${randomHex(next, 12)}` : `i-${randomHex(next, 17)}`;
}

/** The price book document (plain data, written as YAML). */
export function priceBookData(scenario: Scenario): Record<string, unknown> {
  const byName = new Map(scenario.nodes.map((n) => [n.name, n]));
  const exact: Record<string, unknown>[] = [];
  const globs: Record<string, unknown>[] = [];
  for (const group of scenario.groups) {
    const first = byName.get(group.nodes[0]!)!;
    const glob = group.prefix !== undefined ? `${group.prefix}-*` : undefined;
    // One glob entry per generated group, unless the pattern would also catch another group's node.
    const globIsSafe =
      glob !== undefined && scenario.nodes.every((n) => !n.name.startsWith(`${group.prefix}-`) || n.group === group.name);
    if (globIsSafe) {
      globs.push(entry(glob, first, undefined));
    } else {
      for (const nodeName of group.nodes) {
        const node = byName.get(nodeName)!;
        exact.push(entry(node.name, node, node.billing.pricing === 'owned' ? undefined : resourceIdOf(scenario, node)));
      }
    }
  }
  return {
    currency: scenario.currency,
    fleet: scenario.nodes.map((n) => n.name),
    // Exact names first: the first matching entry wins.
    nodes: [...exact, ...globs],
    references: scenario.references.map((r) => ({ model: r.model, offer: r.offer, gpu_hourly_cost: r.gpuHourlyCost })),
  };
}

function entry(match: string, node: ScenarioNode, resourceId: string | undefined): Record<string, unknown> {
  const b = node.billing;
  const out: Record<string, unknown> = { match, provider: b.provider, infra: b.infra, pricing: b.pricing, team: b.team, gpus: node.gpuCount };
  if (b.owned !== undefined) {
    out.owned = {
      capex: b.owned.capex,
      years: b.owned.years,
      power_kw: b.owned.powerKw,
      energy_cost_per_kwh: b.owned.energyCostPerKwh,
      pue: b.owned.pue,
      colocation_per_month: b.owned.colocationPerMonth,
    };
  } else {
    out.gpu_hourly_cost = b.gpuHourlyCost;
  }
  if (resourceId !== undefined) out.resource_ids = [resourceId];
  return out;
}

export function priceBookYaml(scenario: Scenario): string {
  const doc = new Document(priceBookData(scenario));
  doc.commentBefore = ` Price book of the simulated fleet "${scenario.cluster}", generated from its scenario.`;
  return doc.toString({ lineWidth: 0 });
}

/** Rows of one provider's FOCUS export: every full hour of the last `scenario.focusDays` days. */
export function focusCsv(scenario: Scenario, nodes: readonly ScenarioNode[], nowMs: number): string {
  const endHour = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  const startHour = endHour - scenario.focusDays * 24 * HOUR_MS;
  const out: string[] = [FOCUS_COLUMNS.join(',')];
  for (const node of nodes) {
    const fixed = fixedCells(scenario, node);
    for (let hour = startHour; hour < endHour; hour += HOUR_MS) {
      const start = new Date(hour);
      const billingStart = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1);
      const billingEnd = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
      out.push(
        [
          fixed.billed,
          fixed.effective,
          fixed.list,
          fixed.contracted,
          fixed.account,
          'USD',
          isoHour(billingStart),
          isoHour(billingEnd),
          'Usage',
          fixed.description,
          'Usage-Based',
          isoHour(hour),
          isoHour(hour + HOUR_MS),
          '1',
          'Hour',
          fixed.pricingCategory,
          '1',
          'Hour',
          fixed.provider,
          fixed.resourceId,
          fixed.resourceName,
          'Compute',
          fixed.service,
          fixed.sku,
          fixed.skuPriceDetails,
          fixed.tags,
        ].join(','),
      );
    }
  }
  return out.join('\n') + '\n';
}

/** Cells that are the same in every hourly row of a node, already CSV-quoted where needed. */
function fixedCells(scenario: Scenario, node: ScenarioNode) {
  const b = node.billing;
  const price = b.gpuHourlyCost ?? 0;
  const effective = money(node.gpuCount * price);
  const list = money(node.gpuCount * (b.listGpuHourlyCost ?? price));
  const pricing = b.pricing as Exclude<Pricing, 'owned'>;
  return {
    // A commitment is invoiced up front, so its hourly usage rows bill nothing; EffectiveCost carries its amortised share.
    billed: pricing === 'reserved' ? '0' : effective,
    effective,
    list,
    contracted: effective,
    account: csvCell(`acct-${slug(b.provider)}`),
    description: csvCell(`${node.gpuCount}x ${node.model} ${pricing.replace('_', '-')} hour`),
    pricingCategory: PRICING_CATEGORY[pricing],
    provider: csvCell(b.provider),
    resourceId: csvCell(resourceIdOf(scenario, node)),
    resourceName: csvCell(node.name),
    service: csvCell(b.infra === 'bare_metal' ? 'Bare Metal GPU Servers' : b.infra === 'vm' ? 'GPU Virtual Machines' : 'Managed GPU Containers'),
    sku: csvCell(`${slug(node.model)}-${node.gpuCount}x-${pricing}`),
    skuPriceDetails: csvCell(JSON.stringify({ GpuCount: node.gpuCount, GpuModel: node.model })),
    tags: csvCell(JSON.stringify({ [NODE_TAG]: node.name, team: b.team })),
  };
}

/**
 * Writes `pricebook.yaml` and one `focus-<provider>.csv` per provider with rented nodes into `dir`
 * (created if needed). Each file is written beside its final name and renamed into place, so a
 * reader never sees half a file.
 */
export async function writeBillingFiles(scenario: Scenario, dir: string, nowMs: number): Promise<{ priceBook: string; focus: string[] }> {
  await mkdir(dir, { recursive: true });
  const priceBook = join(dir, 'pricebook.yaml');
  await writeAtomically(priceBook, priceBookYaml(scenario));

  const byProvider = new Map<string, ScenarioNode[]>();
  for (const node of scenario.nodes) {
    if (node.billing.pricing === 'owned') continue;
    const list = byProvider.get(node.billing.provider) ?? [];
    list.push(node);
    byProvider.set(node.billing.provider, list);
  }
  const focus: string[] = [];
  const used = new Set<string>();
  for (const [provider, nodes] of byProvider) {
    let base = `focus-${slug(provider)}`;
    // Two provider names can share a slug ("Neo Cloud", "neo-cloud"): keep their files apart.
    for (let n = 2; used.has(base); n++) base = `focus-${slug(provider)}-${n}`;
    used.add(base);
    const file = join(dir, `${base}.csv`);
    await writeAtomically(file, focusCsv(scenario, nodes, nowMs));
    focus.push(file);
  }
  return { priceBook, focus };
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

/** Money as FOCUS decimals: up to 10 decimals, no float noise such as 16.800000000000001. */
function money(value: number): string {
  return String(Number(value.toFixed(10)));
}

function isoHour(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'provider';
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
