import { finance } from './dashboards/finance.js';
import { fleetOverview } from './dashboards/fleet-overview.js';
import { health } from './dashboards/health.js';
import { idleWaste } from './dashboards/idle-waste.js';
import { nodeDetail } from './dashboards/node-detail.js';
import { stragglers } from './dashboards/stragglers.js';
import type { Dashboard } from './grafana.js';

/** File name under dashboards/ → the dashboard it holds. */
export const DASHBOARDS: Readonly<Record<string, () => Dashboard>> = {
  'fleet-overview.json': fleetOverview,
  'node-detail.json': nodeDetail,
  'finance.json': finance,
  'stragglers.json': stragglers,
  'idle-waste.json': idleWaste,
  'health.json': health,
};

/** The committed form of a dashboard: two-space JSON with a final newline, stable across runs. */
export function renderDashboard(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
