/** Geometry for the charts and small multiples, kept pure so 1,000 of them cost a few string joins each. */

export interface Extent {
  t0: number;
  t1: number;
  v0: number;
  v1: number;
}

export interface Box {
  width: number;
  height: number;
  /** Space kept free on every side so a dot or a line at the edge of the extent is not cut in half. */
  inset?: number;
}

function x(t: number, extent: Extent, box: Box): number {
  const inset = box.inset ?? 0;
  const inner = box.width - 2 * inset;
  const span = extent.t1 - extent.t0;
  // A zero-length extent is one instant: the newest there is, so it sits at the right edge.
  return inset + (span > 0 ? ((t - extent.t0) / span) * inner : inner);
}

function y(v: number, extent: Extent, box: Box): number {
  const inset = box.inset ?? 0;
  const inner = box.height - 2 * inset;
  const span = extent.v1 - extent.v0;
  const clamped = Math.min(extent.v1, Math.max(extent.v0, v));
  return inset + (span > 0 ? inner - ((clamped - extent.v0) / span) * inner : inner / 2);
}

function point(t: number, v: number, extent: Extent, box: Box): string {
  return `${x(t, extent, box).toFixed(1)},${y(v, extent, box).toFixed(1)}`;
}

/**
 * An SVG path through the points; gaps (non-finite values) break the line instead of dropping to zero.
 * A run of one point draws nothing here: `dotsPath` marks it.
 */
export function linePath(times: ArrayLike<number>, values: ArrayLike<number>, extent: Extent, box: Box): string {
  let path = '';
  let pen = false;
  for (let i = 0; i < times.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      pen = false;
      continue;
    }
    path += `${pen ? 'L' : 'M'}${point(times[i], v, extent, box)}`;
    pen = true;
  }
  return path;
}

/**
 * The points that have no finite neighbour (a series' only sample, or one isolated by gaps), each as a
 * zero-length subpath. Stroked with round caps such a subpath renders as a dot of the stroke width, in
 * screen pixels even when the SVG is stretched (`vector-effect: non-scaling-stroke`), where a circle
 * would become an ellipse.
 */
export function dotsPath(times: ArrayLike<number>, values: ArrayLike<number>, extent: Extent, box: Box): string {
  let path = '';
  for (let i = 0; i < times.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      continue;
    }
    const before = i > 0 && Number.isFinite(values[i - 1]);
    const after = i + 1 < times.length && Number.isFinite(values[i + 1]);
    if (!before && !after) {
      path += `M${point(times[i], v, extent, box)}h0`;
    }
  }
  return path;
}

/**
 * A closed band between `low` and `high` sampled at the same times (e.g. median ± MAD). Points where
 * either edge is missing are skipped.
 */
export function bandPath(
  times: ArrayLike<number>,
  low: ArrayLike<number>,
  high: ArrayLike<number>,
  extent: Extent,
  box: Box
): string {
  const upper: string[] = [];
  const lower: string[] = [];
  for (let i = 0; i < times.length; i++) {
    if (!Number.isFinite(low[i]) || !Number.isFinite(high[i])) {
      continue;
    }
    upper.push(point(times[i], high[i], extent, box));
    lower.push(point(times[i], low[i], extent, box));
  }
  if (upper.length === 0) {
    return '';
  }
  return `M${upper.join('L')}L${lower.reverse().join('L')}Z`;
}

/** The first and last time with a finite value across the series; null when none has one. */
export function timeExtent(
  series: Iterable<{ times: ArrayLike<number>; values: ArrayLike<number> }>
): { t0: number; t1: number } | null {
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const one of series) {
    for (let i = 0; i < one.times.length; i++) {
      if (Number.isFinite(one.values[i])) {
        t0 = Math.min(t0, one.times[i]);
        t1 = Math.max(t1, one.times[i]);
      }
    }
  }
  return Number.isFinite(t0) ? { t0, t1 } : null;
}

/** Values of `series` at the given times (exact timestamp match, as range queries share a step). */
export function alignTo(
  times: ArrayLike<number>,
  seriesTimes: ArrayLike<number>,
  seriesValues: ArrayLike<number>
): number[] {
  const index = new Map<number, number>();
  for (let i = 0; i < seriesTimes.length; i++) {
    index.set(seriesTimes[i], seriesValues[i]);
  }
  const out = new Array<number>(times.length);
  for (let i = 0; i < times.length; i++) {
    out[i] = index.get(times[i]) ?? Number.NaN;
  }
  return out;
}
