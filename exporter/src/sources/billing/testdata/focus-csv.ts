/** Builds small FOCUS CSV texts for the billing tests. */

export const TEST_COLUMNS = [
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'EffectiveCost',
  'ChargeCategory',
  'ResourceId',
  'ResourceName',
  'Tags',
  'SkuPriceDetails',
  'PricingCategory',
  'ProviderName',
  'BillingCurrency',
] as const;

export type TestRow = Partial<Record<(typeof TEST_COLUMNS)[number], string>>;

export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function focusCsv(rows: readonly TestRow[], newline = '\n'): string {
  const lines = [TEST_COLUMNS.join(',')];
  for (const row of rows) lines.push(TEST_COLUMNS.map((column) => csvCell(row[column] ?? '')).join(','));
  return lines.join(newline) + newline;
}

const HOUR_MS = 3_600_000;

/** An ISO timestamp `hours` after 2024-01-01T00:00:00Z. */
export function hoursAfterJan1(hours: number): string {
  return new Date(Date.UTC(2024, 0, 1) + hours * HOUR_MS).toISOString().replace('.000Z', 'Z');
}

/** A usage row of `node` (by node tag) for [from, to) hours after Jan 1. */
export function taggedRow(node: string, from: number, to: number, cost: number, extra: TestRow = {}): TestRow {
  return {
    ChargePeriodStart: hoursAfterJan1(from),
    ChargePeriodEnd: hoursAfterJan1(to),
    EffectiveCost: String(cost),
    ChargeCategory: 'Usage',
    ResourceId: `id-${node}`,
    Tags: JSON.stringify({ 'gpufleet-node': node }),
    ...extra,
  };
}
