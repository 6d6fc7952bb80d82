/*
 * The charges of one node: [start, end) charge periods, each with its EffectiveCost. Several line
 * items (compute, a commitment's amortised share, a support fee) often cover the same hour, so the
 * hours a node was paid for are the union of its periods, not their sum. Kept in typed arrays: a
 * FOCUS export has a row per node per hour per line item, and an object per row would be the
 * largest cost of reading one.
 */

const INITIAL_CAPACITY = 16;

export class ChargeIntervals {
  private starts = new Float64Array(INITIAL_CAPACITY);
  private ends = new Float64Array(INITIAL_CAPACITY);
  private costs = new Float64Array(INITIAL_CAPACITY);
  /** 1 when the period counts as hours the node ran (usage), 0 for cost-only rows (tax, credits). */
  private usage = new Uint8Array(INITIAL_CAPACITY);
  private count = 0;

  get length(): number {
    return this.count;
  }

  /**
   * Adds one charge. `keepFrom` is the earliest instant any window can still start at: when the
   * arrays are full, charges ending before it are dropped instead of growing, so memory follows the
   * window, not the file.
   */
  add(start: number, end: number, cost: number, usage: boolean, keepFrom = -Infinity): void {
    if (this.count === this.starts.length) this.makeRoom(keepFrom);
    const i = this.count++;
    this.starts[i] = start;
    this.ends[i] = end;
    this.costs[i] = cost;
    this.usage[i] = usage ? 1 : 0;
  }

  /** Drops charges that end before `keepFrom`. */
  prune(keepFrom: number): void {
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      if ((this.ends[i] as number) < keepFrom) continue;
      if (kept !== i) {
        this.starts[kept] = this.starts[i] as number;
        this.ends[kept] = this.ends[i] as number;
        this.costs[kept] = this.costs[i] as number;
        this.usage[kept] = this.usage[i] as number;
      }
      kept++;
    }
    this.count = kept;
  }

  private makeRoom(keepFrom: number): void {
    this.prune(keepFrom);
    // Grow unless pruning freed at least half, so pruning stays amortised O(1) per charge.
    if (this.count * 2 <= this.starts.length) return;
    const capacity = this.starts.length * 2;
    this.starts = grow(this.starts, capacity);
    this.ends = grow(this.ends, capacity);
    this.costs = grow(this.costs, capacity);
    const usage = new Uint8Array(capacity);
    usage.set(this.usage);
    this.usage = usage;
  }

  /** @internal read access for windowTotals without copying. */
  view(): { starts: Float64Array; ends: Float64Array; costs: Float64Array; usage: Uint8Array; count: number } {
    return { starts: this.starts, ends: this.ends, costs: this.costs, usage: this.usage, count: this.count };
  }
}

function grow(array: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(capacity);
  next.set(array);
  return next;
}

export interface WindowTotals {
  /** Σ EffectiveCost inside the window; a charge straddling an edge counts pro rata of its period. */
  cost: number;
  /** Milliseconds inside the window covered by at least one usage charge. */
  usageCoveredMs: number;
  /** Milliseconds inside the window covered by at least one charge of any kind. */
  coveredMs: number;
}

/** Totals of one node's charges (possibly spread over several files) within [from, to]. */
export function windowTotals(sets: readonly ChargeIntervals[], from: number, to: number): WindowTotals {
  let total = 0;
  for (const set of sets) total += set.length;
  const allStarts = new Float64Array(total);
  const allEnds = new Float64Array(total);
  const usageStarts = new Float64Array(total);
  const usageEnds = new Float64Array(total);
  let all = 0;
  let used = 0;
  let cost = 0;
  for (const set of sets) {
    const { starts, ends, costs, usage, count } = set.view();
    for (let i = 0; i < count; i++) {
      const start = starts[i] as number;
      const end = ends[i] as number;
      if (end <= start) {
        // A one-off charge at an instant (a purchase) belongs to the window it falls in.
        if (start >= from && start <= to) cost += costs[i] as number;
        continue;
      }
      const lo = start > from ? start : from;
      const hi = end < to ? end : to;
      if (hi <= lo) continue;
      cost += ((costs[i] as number) * (hi - lo)) / (end - start);
      allStarts[all] = lo;
      allEnds[all++] = hi;
      if (usage[i] === 1) {
        usageStarts[used] = lo;
        usageEnds[used++] = hi;
      }
    }
  }
  return {
    cost,
    usageCoveredMs: unionLength(usageStarts.subarray(0, used), usageEnds.subarray(0, used)),
    coveredMs: unionLength(allStarts.subarray(0, all), allEnds.subarray(0, all)),
  };
}

/**
 * Length of the union of intervals given as parallel start/end arrays (each start ≤ its end).
 * Sorting starts and ends independently is enough: sweeping both in order, the number of open
 * intervals is the number of starts passed minus the number of ends passed.
 */
export function unionLength(starts: Float64Array, ends: Float64Array): number {
  const n = starts.length;
  starts.sort();
  ends.sort();
  let i = 0;
  let j = 0;
  let open = 0;
  let previous = 0;
  let covered = 0;
  while (j < n) {
    if (i < n && (starts[i] as number) <= (ends[j] as number)) {
      const t = starts[i++] as number;
      if (open > 0) covered += t - previous;
      previous = t;
      open++;
    } else {
      const t = ends[j++] as number;
      covered += t - previous;
      previous = t;
      open--;
    }
  }
  return covered;
}
