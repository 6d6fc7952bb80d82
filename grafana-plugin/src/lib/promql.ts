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

/** Grafana's default minimum step for a Prometheus data source with no scrape interval set. */
export const DEFAULT_MIN_STEP_SECONDS = 15;

/**
 * Range-query step for charts: about `points` points, a multiple of the minimum step, as Grafana's own
 * panels do. The floor is the data source's scrape interval (15 s by default), not the 30 s rule
 * interval: on a young fleet a 30 s floor leaves a chart with a single point for its first minute, and
 * a step finer than the rules only repeats each recorded value.
 */
export function chartStep(rangeSeconds: number, points = 200, minStepSeconds = DEFAULT_MIN_STEP_SECONDS): number {
  const floor =
    Number.isFinite(minStepSeconds) && minStepSeconds >= 1 ? Math.round(minStepSeconds) : DEFAULT_MIN_STEP_SECONDS;
  const raw = Math.max(floor, rangeSeconds / Math.max(1, points));
  return Math.ceil(raw / floor) * floor;
}

/**
 * The minimum step from a Prometheus data source's `jsonData.timeInterval` ("Scrape interval" in its
 * settings: `15s`, `1m`, `500ms`…); the default when it is missing or unreadable.
 */
export function minStepFromJsonData(jsonData: unknown): number {
  const raw =
    typeof jsonData === 'object' && jsonData !== null ? (jsonData as Record<string, unknown>).timeInterval : undefined;
  const match = typeof raw === 'string' ? /^\s*(\d+(?:\.\d+)?)(ms|s|m|h)\s*$/.exec(raw) : null;
  if (!match) {
    return DEFAULT_MIN_STEP_SECONDS;
  }
  const seconds = Number(match[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  // Prometheus steps are whole seconds here; below one second a chart gains nothing.
  return seconds > 0 ? Math.max(1, Math.round(seconds)) : DEFAULT_MIN_STEP_SECONDS;
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
 * Shorter windows an integral narrows to when all of a group's data lies inside one of them. Each grid
 * sample stands for the whole step before it, so a series younger than one step would be charged for
 * time before it existed: a fleet one minute old, on a month-to-date grid of 40 minutes, would show
 * 40 minutes of spend (or nothing at all before its first grid point). Inside the shortest window that
 * holds all its data the error is at most that window's step (15 s for the last hour).
 */
const YOUNG_WINDOWS_SECONDS = [HOURLY_FROM_SECONDS, 3600];

/** The windows `integrate` and `firstSample` look at, coarsest first, each with a finer step than the one before. */
function windowsFor(rangeSeconds: number): number[] {
  const windows = [rangeSeconds];
  for (const window of YOUNG_WINDOWS_SECONDS) {
    if (window < rangeSeconds && integrationStep(window) < integrationStep(windows[windows.length - 1])) {
      windows.push(window);
    }
  }
  return windows;
}

/**
 * The time of each group's first sample of `metric` within the last `rangeSeconds`, in epoch seconds,
 * grouped by `by`: the earliest sample seen on the grids of every window of `windowsFor`. It is a real
 * sample's time, at most one step of the finest window holding the true first sample after it.
 */
function firstSampleBy(metric: string, scope: Scope, rangeSeconds: number, by: string[], labels: Record<string, string | undefined>): string {
  const grouping = by.length > 0 ? ` by (${by.join(', ')})` : '';
  const parts = windowsFor(rangeSeconds).map((window, i) => {
    const earliest = `min_over_time(timestamp(${series(metric, scope, labels)})[${duration(window)}:${duration(integrationStep(window))}])`;
    // `or` keeps one side of equal label sets: a label per window keeps every window's answer for min().
    return i === 0 ? earliest : `label_replace(${earliest}, "gpufleet_window", "${window}", "", "")`;
  });
  return `min${grouping} (${parts.join(' or ')})`;
}

/**
 * The integral over the range of a per-hour rate series (dollars per hour → dollars, GPUs → GPU-hours),
 * summed by `by`. Fleet series over more than two days use their hourly recordings (one point per hour);
 * the others are sampled at `integrationStep`. Hours with no data add nothing rather than being guessed.
 * A group whose data all lies inside a shorter window (see YOUNG_WINDOWS_SECONDS) is integrated over the
 * shortest such window at its finer step.
 */
export function integrate(metric: string, scope: Scope, rangeSeconds: number, by: string[] = [], labels: Record<string, string | undefined> = {}): string {
  const grouping = by.length > 0 ? ` by (${by.join(', ')})` : '';
  const fine = (seconds: number) => {
    const step = integrationStep(seconds);
    return `sum${grouping} (sum_over_time(${series(metric, scope, labels)}[${duration(seconds)}:${duration(step)}])) * ${step / 3600}`;
  };
  const [whole, ...younger] = windowsFor(rangeSeconds);
  const hourly = HOURLY_SERIES[metric];
  const full =
    rangeSeconds > HOURLY_FROM_SECONDS && hourly
      ? `sum${grouping} (sum_over_time(${series(hourly, scope, labels)}[${duration(whole)}:1h]))`
      : fine(whole);
  if (younger.length === 0) {
    return full;
  }
  const start = firstSampleBy(metric, scope, rangeSeconds, by, labels);
  // Shortest window first: `or` keeps the left side for a group both sides answer.
  const narrowed = younger
    .reverse()
    .map((window) => `(${fine(window)} and on(${by.join(', ')}) (${start} >= time() - ${window}))`);
  return [...narrowed, full].join(' or ');
}

/** When the fleet's `metric` first has a sample within the last `rangeSeconds` (see `firstSampleBy`). */
export function firstSample(metric: string, scope: Scope, rangeSeconds: number): string {
  return firstSampleBy(metric, scope, rangeSeconds, [], {});
}

/** How far after a series' true start `firstSample` may answer, when the start is this long ago or more. */
export function firstSampleResolution(rangeSeconds: number): number {
  return integrationStep(rangeSeconds);
}

/** The mean of a gauge over the range, sampled like `integrate`. */
export function averageOverRange(
  metric: string,
  scope: Scope,
  rangeSeconds: number,
  labels: Record<string, string | undefined> = {}
): string {
  return `avg_over_time(${series(metric, scope, labels)}[${duration(rangeSeconds)}:${duration(integrationStep(rangeSeconds))}])`;
}

/** Sum of a recorded series by some labels (several clusters add up). */
export function sumBy(
  metric: string,
  scope: Scope,
  by: string[],
  labels: Record<string, string | undefined> = {}
): string {
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
