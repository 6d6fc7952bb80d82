import { InstantSample, keyOf } from './prometheus';

export interface StragglerRow {
  cluster: string;
  node: string;
  /** Robust z-score against the workload median (higher is slower); null when not recorded. */
  score: number | null;
  smActive: number | null;
  flagged: boolean;
  /** Likely cause while flagged (thermal, power_brake, hw_slowdown, xid, nvme_stall, interconnect, unknown). */
  cause: string | null;
}

const NODE_KEY = ['cluster', 'node'];

/**
 * Nodes of one workload ranked worst first: flagged stragglers, then by score, then by name so the
 * order is stable between refreshes. A node appears when any of the three series knows it.
 */
export function rankStragglers(scores: InstantSample[], flags: InstantSample[], smActive: InstantSample[]): StragglerRow[] {
  const rows = new Map<string, StragglerRow>();
  const rowFor = (sample: InstantSample): StragglerRow => {
    const key = keyOf(sample.labels, NODE_KEY);
    let row = rows.get(key);
    if (!row) {
      row = { cluster: sample.labels.cluster ?? '', node: sample.labels.node ?? '', score: null, smActive: null, flagged: false, cause: null };
      rows.set(key, row);
    }
    return row;
  };
  for (const sample of scores) {
    if (Number.isFinite(sample.value)) {
      rowFor(sample).score = sample.value;
    }
  }
  for (const sample of smActive) {
    if (Number.isFinite(sample.value)) {
      rowFor(sample).smActive = sample.value;
    }
  }
  for (const sample of flags) {
    if (sample.value >= 1) {
      const row = rowFor(sample);
      row.flagged = true;
      // Several causes can be recorded at once; keep them all, in a fixed order.
      const cause = sample.labels.cause || 'unknown';
      row.cause = row.cause ? [...new Set([...row.cause.split(', '), cause])].sort().join(', ') : cause;
    }
  }
  return [...rows.values()].sort(compareRows);
}

function compareRows(a: StragglerRow, b: StragglerRow): number {
  if (a.flagged !== b.flagged) {
    return a.flagged ? -1 : 1;
  }
  const sa = a.score ?? Number.NEGATIVE_INFINITY;
  const sb = b.score ?? Number.NEGATIVE_INFINITY;
  if (sa !== sb) {
    return sb - sa;
  }
  return a.node < b.node ? -1 : a.node > b.node ? 1 : a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0;
}

export interface WorkloadSummary {
  cluster: string;
  workload: string;
  median: number | null;
  stragglers: number;
}

/** Workloads with their median SM activity and straggler count, those with stragglers first. */
export function summariseWorkloads(medians: InstantSample[], counts: InstantSample[]): WorkloadSummary[] {
  const key = ['cluster', 'workload'];
  const byKey = new Map<string, WorkloadSummary>();
  for (const sample of medians) {
    byKey.set(keyOf(sample.labels, key), {
      cluster: sample.labels.cluster ?? '',
      workload: sample.labels.workload ?? '',
      median: Number.isFinite(sample.value) ? sample.value : null,
      stragglers: 0,
    });
  }
  for (const sample of counts) {
    const summary = byKey.get(keyOf(sample.labels, key));
    if (summary && Number.isFinite(sample.value)) {
      summary.stragglers = sample.value;
    }
  }
  return [...byKey.values()].sort((a, b) => b.stragglers - a.stragglers || (a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : 0));
}
