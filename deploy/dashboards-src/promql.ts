/*
 * PromQL fragments the dashboards repeat. Totals over the selected range integrate a per-hour rate
 * minute by minute (Σ samples ÷ 60): minutes without data add nothing instead of being extrapolated.
 */

/**
 * Integral over the dashboard range of a `$ per hour` or `GPUs` rate, in `$` or GPU-hours.
 * Parenthesised so it can be divided by another total without precedence surprises.
 */
export function overRange(selector: string, by?: string): string {
  const inner = `sum_over_time(${selector}[$__range:1m])`;
  return by ? `(sum by (${by}) (${inner}) / 60)` : `(sum(${inner}) / 60)`;
}

/** Ratio of two sums, aggregated the same way, so a ratio over several series is Σa ÷ Σb (not a mean of ratios). */
export function ratioOfSums(numerator: string, denominator: string, by?: string): string {
  const agg = by ? `sum by (${by})` : 'sum';
  return `${agg} (${numerator}) / ${agg} (${denominator})`;
}

/**
 * Σ useful ratio of the priced GPUs behind a `LEVEL:` recording: cost rate ÷ cost per useful GPU-hour
 * gives back the recording's own denominator, so sums of it make exact cost-per-useful-hour ratios
 * across several teams or clusters (unpriced GPUs never make the fleet look cheaper).
 */
export function pricedUseful(level: string, matchers: string): string {
  return `(${level}:gpufleet_cost:dollars_per_hour{${matchers}} / ${level}:gpufleet_cost_per_useful_gpu_hour:dollars{${matchers}})`;
}
