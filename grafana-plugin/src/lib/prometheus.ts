/** Parsing of Prometheus HTTP API answers. The body is untrusted: anything unexpected becomes a PrometheusError. */

export type Labels = Record<string, string>;

export interface InstantSample {
  labels: Labels;
  value: number;
}

export interface RangeSeries {
  labels: Labels;
  /** Seconds since the epoch. */
  times: number[];
  values: number[];
}

export class PrometheusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusError';
  }
}

function parseValue(raw: unknown): number {
  // Prometheus encodes sample values as strings, including "NaN", "+Inf" and "-Inf".
  if (typeof raw !== 'string') {
    return Number.NaN;
  }
  if (raw === '+Inf') {
    return Number.POSITIVE_INFINITY;
  }
  if (raw === '-Inf') {
    return Number.NEGATIVE_INFINITY;
  }
  return Number(raw);
}

function parseLabels(raw: unknown): Labels {
  const labels: Labels = {};
  if (typeof raw === 'object' && raw !== null) {
    for (const [key, value] of Object.entries(raw)) {
      if (typeof value === 'string') {
        labels[key] = value;
      }
    }
  }
  return labels;
}

function dataOf(body: unknown, expected: string[]): { resultType: string; result: unknown } {
  if (typeof body !== 'object' || body === null) {
    throw new PrometheusError('Prometheus answered with something that is not JSON.');
  }
  const { status, data, error } = body as Record<string, unknown>;
  if (status !== 'success') {
    throw new PrometheusError(typeof error === 'string' ? error : 'Prometheus answered without status "success".');
  }
  if (typeof data !== 'object' || data === null) {
    throw new PrometheusError('Prometheus answer has no data.');
  }
  const { resultType, result } = data as Record<string, unknown>;
  if (typeof resultType !== 'string' || !expected.includes(resultType)) {
    throw new PrometheusError(`Expected a ${expected.join(' or ')} result, got ${String(resultType)}.`);
  }
  return { resultType, result };
}

/** An instant query's result as samples; a scalar becomes one sample without labels. NaN samples are dropped. */
export function parseInstant(body: unknown): InstantSample[] {
  const { resultType, result } = dataOf(body, ['vector', 'scalar']);
  if (resultType === 'scalar') {
    const value = Array.isArray(result) ? parseValue(result[1]) : Number.NaN;
    return Number.isNaN(value) ? [] : [{ labels: {}, value }];
  }
  if (!Array.isArray(result)) {
    throw new PrometheusError('Vector result is not a list.');
  }
  const samples: InstantSample[] = [];
  for (const item of result) {
    if (typeof item !== 'object' || item === null) {
      continue;
    }
    const { metric, value } = item as Record<string, unknown>;
    const parsed = Array.isArray(value) ? parseValue(value[1]) : Number.NaN;
    if (!Number.isNaN(parsed)) {
      samples.push({ labels: parseLabels(metric), value: parsed });
    }
  }
  return samples;
}

/** A range query's result as series of parallel time and value arrays. */
export function parseRange(body: unknown): RangeSeries[] {
  const { result } = dataOf(body, ['matrix']);
  if (!Array.isArray(result)) {
    throw new PrometheusError('Matrix result is not a list.');
  }
  const out: RangeSeries[] = [];
  for (const item of result) {
    if (typeof item !== 'object' || item === null) {
      continue;
    }
    const { metric, values } = item as Record<string, unknown>;
    if (!Array.isArray(values)) {
      continue;
    }
    const times: number[] = [];
    const parsed: number[] = [];
    for (const point of values) {
      if (Array.isArray(point) && typeof point[0] === 'number') {
        times.push(point[0]);
        parsed.push(parseValue(point[1]));
      }
    }
    out.push({ labels: parseLabels(metric), times, values: parsed });
  }
  return out;
}

/** A label-values answer as a sorted list of strings. */
export function parseLabelValues(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) {
    throw new PrometheusError('Prometheus answered with something that is not JSON.');
  }
  const { status, data, error } = body as Record<string, unknown>;
  if (status !== 'success') {
    throw new PrometheusError(typeof error === 'string' ? error : 'Prometheus answered without status "success".');
  }
  return Array.isArray(data) ? data.filter((v): v is string => typeof v === 'string').sort() : [];
}

/** The single value of a one-sample answer, or null when the answer is empty. */
export function scalarOf(samples: InstantSample[]): number | null {
  return samples.length > 0 ? samples[0].value : null;
}

/** Samples indexed by one label's value. */
export function byLabel(samples: InstantSample[], label: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const sample of samples) {
    map.set(sample.labels[label] ?? '', sample.value);
  }
  return map;
}

/** Samples indexed by the values of several labels joined with a separator that cannot appear in label values. */
export function keyOf(labels: Labels, names: string[]): string {
  return names.map((name) => labels[name] ?? '').join('\u0000');
}

export function byLabels(samples: InstantSample[], names: string[]): Map<string, InstantSample> {
  const map = new Map<string, InstantSample>();
  for (const sample of samples) {
    map.set(keyOf(sample.labels, names), sample);
  }
  return map;
}
