import { readdirSync, readFileSync } from 'node:fs';
import type { Dashboard, Panel, RowPanel, QueryVariable } from '../../../deploy/dashboards-src/grafana.js';
import { repoPath } from './repo.js';

/*
 * Reading the committed dashboards/*.json the way Grafana would, for the tests: panels (also inside
 * collapsed rows), their queries, the variable queries, and Grafana's variable syntax.
 */

export interface DashboardFile {
  file: string;
  text: string;
  dashboard: Dashboard;
}

export function loadDashboards(): DashboardFile[] {
  const dir = repoPath('dashboards');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(`${dir}/${file}`, 'utf8');
      let dashboard: Dashboard;
      try {
        dashboard = JSON.parse(text) as Dashboard;
      } catch (err) {
        throw new Error(`dashboards/${file}: not JSON: ${(err as Error).message}`);
      }
      return { file, text, dashboard };
    });
}

export function isRow(panel: Panel | RowPanel): panel is RowPanel {
  return panel.type === 'row';
}

/** Every panel that shows data, including those folded inside collapsed rows. */
export function dataPanels(dashboard: Dashboard): Panel[] {
  const out: Panel[] = [];
  for (const panel of dashboard.panels ?? []) {
    if (isRow(panel)) out.push(...((panel.panels ?? []) as unknown as Panel[]));
    else out.push(panel);
  }
  return out;
}

export interface PanelQuery {
  file: string;
  uid: string;
  panelId: number;
  panelTitle: string;
  refId: string;
  expr: string;
}

export function panelQueries(file: DashboardFile): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const panel of dataPanels(file.dashboard)) {
    for (const target of panel.targets ?? []) {
      out.push({
        file: file.file,
        uid: file.dashboard.uid,
        panelId: panel.id,
        panelTitle: panel.title,
        refId: target.refId,
        expr: target.expr,
      });
    }
  }
  return out;
}

export function queryVariables(dashboard: Dashboard): QueryVariable[] {
  return (dashboard.templating?.list ?? []).filter((v): v is QueryVariable => v.type === 'query');
}

/** `label_values(<selector>, <label>)` → its parts; undefined for any other variable query. */
export function parseLabelValues(query: string): { selector: string; label: string } | undefined {
  const m = /^\s*label_values\(\s*(.+?)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/s.exec(query);
  return m ? { selector: m[1] as string, label: m[2] as string } : undefined;
}

/** Grafana's global and data-link variables (names starting with `__`). */
export function isBuiltinVariable(name: string): boolean {
  return name.startsWith('__');
}

const VARIABLE = /\$\{([A-Za-z0-9_.]+)(?::([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Names of the template variables a text refers to (`$x`, `${x}`, `${x:fmt}`, `${__field.labels.x}` → `__field`). */
export function referencedVariables(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(VARIABLE)) {
    const name = (m[1] ?? m[3]) as string;
    names.add(name.split('.')[0] as string);
  }
  return [...names];
}

/** Replaces every template variable with a value; throws on a variable the map does not know. */
export function substituteVariables(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(VARIABLE, (whole, braced: string | undefined, _fmt: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const value = values[name];
    if (value === undefined) throw new Error(`unknown variable ${whole} in: ${text}`);
    return value;
  });
}

/** Series names in a PromQL expression that belong to gpufleet (recorded or raw), plus Prometheus's own target series. */
export function seriesNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const names = new Set<string>();
  for (const m of withoutStrings.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const token = m[0];
    if (token.includes('gpufleet') || token === 'up' || token.startsWith('scrape_')) names.add(token);
  }
  return [...names];
}
