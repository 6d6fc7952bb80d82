/**
 * PromQL builders. Every page reads the recorded series from alerts/ (see the series contract), so a
 * 30-day range costs a few hundred points per series instead of raw DCGM samples.
 */

/** Which part of the fleet a page looks at; an empty cluster means every cluster. */
export interface Scope {
  cluster?: string;
}

/** Escapes a label value for a double-quoted PromQL string. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `{cluster="a",node="b"}` for the scope plus exact-match labels; empty values are skipped. */
export function selector(scope: Scope, labels: Record<string, string | undefined> = {}): string {
  const matchers: string[] = [];
  if (scope.cluster) {
    matchers.push(`cluster="${escapeLabelValue(scope.cluster)}"`);
  }
  for (const [name, value] of Object.entries(labels)) {
    if (value !== undefined && value !== '') {
      matchers.push(`${name}="${escapeLabelValue(value)}"`);
    }
  }
  return matchers.length > 0 ? `{${matchers.join(',')}}` : '';
}

export function series(metric: string, scope: Scope, labels: Record<string, string | undefined> = {}): string {
  return `${metric}${selector(scope, labels)}`;
}

/** A PromQL duration in whole seconds, which every Prometheus version accepts. */
export function duration(seconds: number): string {
  return `${Math.max(1, Math.round(seconds))}s`;
}

/**
 * Subquery resolution for integrating a rate over a range: about 720 points, a multiple of 15 s.
 * Sampling a 30 s rule series at 15 s repeats values, which integrates the same step function.
 */
export function integrationStep(rangeSeconds: number): number {
  const raw = Math.max(15, rangeSeconds / 720);
  return Math.ceil(raw / 15) * 15;
}

/** Range-query step for charts: about 200 points, a multiple of 30 s (the rule interval). */
export function chartStep(rangeSeconds: number, points = 200): number {
  const raw = Math.max(30, rangeSeconds / points);
  return Math.ceil(raw / 30) * 30;
}

const HOURLY_SERIES: Record<string, string> = {
  'fleet:gpufleet_cost:dollars_per_hour': 'fleet:gpufleet_cost:dollars_1h',
  'fleet:gpufleet_useful_gpus:sum': 'fleet:gpufleet_useful_gpu_hours:sum_1h',
  'fleet:gpufleet_gpus:count': 'fleet:gpufleet_paid_gpu_hours:sum_1h',
  'fleet:gpufleet_idle_waste:dollars_per_hour': 'fleet:gpufleet_idle_waste:dollars_1h',
};

/** Ranges longer than this read the hourly recordings (a shorter range would see too few whole hours). */
export const HOURLY_FROM_SECONDS = 2 * 86400;

/**
 * The integral over the range of a per-hour rate series (dollars per hour → dollars, GPUs → GPU-hours),
 * summed by `by`. Fleet series over more than two days use their hourly recordings (one point per hour);
 * the others are sampled at `integrationStep`. Hours with no data add nothing rather than being guessed.
 */
export function integrate(metric: string, scope: Scope, rangeSeconds: number, by: string[] = [], labels: Record<string, string | undefined> = {}): string {
  const grouping = by.length > 0 ? ` by (${by.join(', ')})` : '';
  const fine = (seconds: number) => {
    const step = integrationStep(seconds);
    return `sum${grouping} (sum_over_time(${series(metric, scope, labels)}[${duration(seconds)}:${duration(step)}])) * ${step / 3600}`;
  };
  if (rangeSeconds <= HOURLY_FROM_SECONDS) {
    return fine(rangeSeconds);
  }
  const hourly = HOURLY_SERIES[metric];
  const coarse = hourly ? `sum${grouping} (sum_over_time(${series(hourly, scope, labels)}[${duration(rangeSeconds)}:1h]))` : fine(rangeSeconds);
  // A fleet younger than the coarse step has no sample on its grid yet: fall back to the last two days at fine resolution.
  return `${coarse} or ${fine(HOURLY_FROM_SECONDS)}`;
}

/** The mean of a gauge over the range, sampled like `integrate`. */
export function averageOverRange(metric: string, scope: Scope, rangeSeconds: number, labels: Record<string, string | undefined> = {}): string {
  return `avg_over_time(${series(metric, scope, labels)}[${duration(rangeSeconds)}:${duration(integrationStep(rangeSeconds))}])`;
}

/** Sum of a recorded series by some labels (several clusters add up). */
export function sumBy(metric: string, scope: Scope, by: string[], labels: Record<string, string | undefined> = {}): string {
  const grouping = by.length > 0 ? ` by (${by.join(', ')})` : '';
  return `sum${grouping} (${series(metric, scope, labels)})`;
}

export function regexAlternation(values: string[]): string {
  return values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&')).join('|');
}

/** Checks used to explain an empty page: are the recorded series there, and are the raw ones? */
export function presenceQueries(scope: Scope): { recorded: string; raw: string } {
  return {
    recorded: `count(${series('fleet:gpufleet_gpus:count', scope)})`,
    raw: `count(${series('gpufleet_gpu_info', scope)})`,
  };
}
