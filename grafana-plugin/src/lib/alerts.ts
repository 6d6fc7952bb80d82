/** The Overview's firing alerts, grouped so a throttled 8-GPU node is one row, not eight. */
import { InstantSample } from './prometheus';

export interface FiringAlertRow {
  key: string;
  alertname: string;
  severity: string;
  cluster: string;
  /** The node the alert is about, when it names one. */
  node: string;
  /** What else it is about when it names no node: a team, workload or the cluster. */
  scope: string;
  /** How many alert instances (GPUs, devices, sources…) the row stands for. */
  count: number;
}

const SEVERITY_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/**
 * One row per alert name, severity and place (node, else team, workload or cluster), counting the
 * instances; critical first, then by name and place, so the table reads the same on every refresh.
 */
export function groupFiringAlerts(samples: InstantSample[]): FiringAlertRow[] {
  const rows = new Map<string, FiringAlertRow>();
  for (const { labels } of samples) {
    const alertname = labels.alertname ?? '';
    const severity = labels.severity ?? 'none';
    const cluster = labels.cluster ?? '';
    const node = labels.node ?? '';
    const scope = node ? '' : (labels.team ?? labels.workload ?? cluster);
    const key = [alertname, severity, cluster, node, scope].join('\u0000');
    const row = rows.get(key);
    if (row) {
      row.count++;
    } else {
      rows.set(key, { key, alertname, severity, cluster, node, scope, count: 1 });
    }
  }
  const rank = (severity: string) => SEVERITY_ORDER[severity] ?? 3;
  return [...rows.values()].sort(
    (a, b) => rank(a.severity) - rank(b.severity) || a.alertname.localeCompare(b.alertname) || (a.node || a.scope).localeCompare(b.node || b.scope)
  );
}
