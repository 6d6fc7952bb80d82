/** Geometry for the small multiples, kept pure so 1,000 of them cost a few string joins each. */

export interface Extent {
  t0: number;
  t1: number;
  v0: number;
  v1: number;
}

export interface Box {
  width: number;
  height: number;
}

function x(t: number, extent: Extent, box: Box): number {
  const span = extent.t1 - extent.t0;
  return span > 0 ? ((t - extent.t0) / span) * box.width : 0;
}

function y(v: number, extent: Extent, box: Box): number {
  const span = extent.v1 - extent.v0;
  const clamped = Math.min(extent.v1, Math.max(extent.v0, v));
  return span > 0 ? box.height - ((clamped - extent.v0) / span) * box.height : box.height / 2;
}

/** An SVG path through the points; gaps (non-finite values) break the line instead of dropping to zero. */
export function linePath(times: ArrayLike<number>, values: ArrayLike<number>, extent: Extent, box: Box): string {
  let path = '';
  let pen = false;
  for (let i = 0; i < times.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      pen = false;
      continue;
    }
    path += `${pen ? 'L' : 'M'}${x(times[i], extent, box).toFixed(1)},${y(v, extent, box).toFixed(1)}`;
    pen = true;
  }
  return path;
}

/**
 * A closed band between `low` and `high` sampled at the same times (e.g. median ± MAD). Points where
 * either edge is missing are skipped.
 */
export function bandPath(times: ArrayLike<number>, low: ArrayLike<number>, high: ArrayLike<number>, extent: Extent, box: Box): string {
  const upper: string[] = [];
  const lower: string[] = [];
  for (let i = 0; i < times.length; i++) {
    if (!Number.isFinite(low[i]) || !Number.isFinite(high[i])) {
      continue;
    }
    const px = x(times[i], extent, box).toFixed(1);
    upper.push(`${px},${y(high[i], extent, box).toFixed(1)}`);
    lower.push(`${px},${y(low[i], extent, box).toFixed(1)}`);
  }
  if (upper.length === 0) {
    return '';
  }
  return `M${upper.join('L')}L${lower.reverse().join('L')}Z`;
}

/** Values of `series` at the given times (exact timestamp match, as range queries share a step). */
export function alignTo(times: ArrayLike<number>, seriesTimes: ArrayLike<number>, seriesValues: ArrayLike<number>): number[] {
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
