import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DASHBOARDS, renderDashboard } from '../../deploy/dashboards-src/index.js';
import type { DataLink, Panel } from '../../deploy/dashboards-src/grafana.js';
import { recordedSeries } from './support/alerts.js';
import { APP_BASE, appRoutes } from './support/app-routes.js';
import {
  dataPanels,
  isBuiltinVariable,
  loadDashboards,
  panelQueries,
  parseLabelValues,
  queryVariables,
  referencedVariables,
  seriesNames,
} from './support/dashboards.js';

/*
 * Static checks of dashboards/*.json: the conventions a provisioned copy needs (stable uids, the
 * datasource variable everywhere, units and descriptions), links that lead somewhere, and queries
 * that read the recorded series alerts/ defines.
 */

const EXPECTED_UIDS: Record<string, string> = {
  'fleet-overview.json': 'gpufleet-overview',
  'node-detail.json': 'gpufleet-node',
  'finance.json': 'gpufleet-finance',
  'stragglers.json': 'gpufleet-stragglers',
  'idle-waste.json': 'gpufleet-idle',
  'health.json': 'gpufleet-health',
};

/** Grafana unit ids the dashboards may use; a typo would silently show raw numbers. */
const UNITS = new Set(['currencyUSD', 'percentunit', 'short', 'none', 's', 'bytes', 'Bps', 'iops', 'watt', 'celsius', 'hertz', 'bool_on_off']);
const isKnownUnit = (unit: unknown) => typeof unit === 'string' && (UNITS.has(unit) || /^suffix: \S/.test(unit));

/**
 * Raw exporter series each dashboard may read, where no recording exists: per-GPU detail on Node
 * detail, target and source health on Health, reference offer prices on Finance.
 */
const RAW_SERIES_ALLOWED: Record<string, string[]> = {
  'gpufleet-node': [
    'gpufleet_node_info',
    'gpufleet_gpu_info',
    'gpufleet_gpu_workload_info',
    'gpufleet_gpu_sm_active_ratio',
    'gpufleet_gpu_tensor_active_ratio',
    'gpufleet_gpu_dram_active_ratio',
    'gpufleet_gpu_power_watts',
    'gpufleet_gpu_temperature_celsius',
    'gpufleet_gpu_sm_clock_hertz',
    'gpufleet_gpu_memory_used_bytes',
    'gpufleet_gpu_pcie_transmit_bytes_per_second',
    'gpufleet_gpu_pcie_receive_bytes_per_second',
    'gpufleet_gpu_nvlink_bytes_per_second',
    'gpufleet_gpu_throttled',
    'gpufleet_nvme_read_bytes_total',
    'gpufleet_nvme_written_bytes_total',
    'gpufleet_nvme_reads_completed_total',
    'gpufleet_nvme_writes_completed_total',
  ],
  'gpufleet-health': [
    'up',
    'scrape_duration_seconds',
    'gpufleet_source_up',
    'gpufleet_source_last_success_timestamp_seconds',
    'gpufleet_source_duration_seconds',
    'gpufleet_source_rejected_inputs',
    'gpufleet_gpu_throttled',
    'gpufleet_gpu_temperature_celsius',
  ],
  'gpufleet-finance': ['gpufleet_reference_gpu_hourly_cost_dollars'],
};

const files = loadDashboards();
const uids = new Set(files.map((f) => f.dashboard.uid));
const tags = new Set(files.flatMap((f) => f.dashboard.tags ?? []));

/** Where a link leads: a dashboard by uid or a page of the app; anything else is a broken link. */
function linkProblem(url: string, routes: Set<string>): string | undefined {
  const path = url.split('?')[0] as string;
  if (path.startsWith('/d/')) {
    const uid = path.slice(3).split('/')[0] as string;
    return uids.has(uid) ? undefined : `links to unknown dashboard uid ${uid}`;
  }
  if (path.startsWith(APP_BASE)) {
    const route = path.slice(APP_BASE.length);
    return routes.has(route) ? undefined : `links to app route "${route}", which the app does not have (${[...routes].join(', ')})`;
  }
  return `links outside the fleet dashboards and app: ${url}`;
}

/** Data links of a panel: its own, its field defaults and its overrides. */
function panelDataLinks(panel: Panel): DataLink[] {
  const links: DataLink[] = [...(panel.links ?? []), ...(panel.fieldConfig?.defaults?.links ?? [])];
  for (const override of panel.fieldConfig?.overrides ?? []) {
    for (const property of override.properties) if (property.id === 'links') links.push(...(property.value as DataLink[]));
  }
  return links;
}

test('the committed dashboards are what deploy/dashboards-src generates', () => {
  for (const [file, build] of Object.entries(DASHBOARDS)) {
    const committed = files.find((f) => f.file === file);
    assert.ok(committed, `dashboards/${file} is missing: run node --import tsx deploy/dashboards-src/generate.ts`);
    assert.equal(committed.text, renderDashboard(build()), `dashboards/${file} is stale: run node --import tsx deploy/dashboards-src/generate.ts`);
  }
});

test('dashboards/ holds exactly the six fleet dashboards, each with its stable uid', () => {
  assert.deepEqual(files.map((f) => f.file).sort(), Object.keys(EXPECTED_UIDS).sort());
  for (const { file, dashboard } of files) assert.equal(dashboard.uid, EXPECTED_UIDS[file], `${file} uid`);
});

for (const file of files) {
  const { dashboard } = file;
  const where = `dashboards/${file.file}`;

  describe(where, () => {
    test('has the schema fields Grafana provisions and no import placeholders', () => {
      assert.equal(dashboard.id, null, 'id must be null so Grafana assigns one');
      assert.ok(dashboard.schemaVersion >= 39 && dashboard.schemaVersion <= 41, `schemaVersion ${dashboard.schemaVersion}`);
      assert.ok(dashboard.title.length > 0);
      assert.ok(dashboard.description.length > 0);
      assert.ok(dashboard.tags.includes('gpufleet'), 'tagged gpufleet (the dashboards menu lists by tag)');
      assert.match(dashboard.time.from, /^now-\d+[mhdw]$/);
      assert.equal(dashboard.time.to, 'now');
      assert.ok(Array.isArray(dashboard.templating.list));
      assert.ok(Array.isArray(dashboard.panels) && dashboard.panels.length > 0);
      for (const placeholder of ['__inputs', '__requires', '${DS_']) {
        assert.ok(!file.text.includes(placeholder), `${placeholder} belongs to export files, not the provisioned copy`);
      }
    });

    test('has the datasource, cluster, team and node variables, fed by recorded series', () => {
      const variables = dashboard.templating.list;
      const ds = variables.find((v) => v.name === 'datasource');
      assert.ok(ds, 'datasource variable');
      assert.equal(ds.type, 'datasource');
      assert.equal(ds.query, 'prometheus');
      const names = variables.map((v) => v.name);
      for (const name of ['cluster', 'team', 'node']) assert.ok(names.includes(name), `variable ${name}`);
      assert.equal(new Set(names).size, names.length, 'variable names are unique');

      queryVariables(dashboard).forEach((v) => {
        assert.deepEqual(v.datasource, { type: 'prometheus', uid: '${datasource}' }, `${v.name} reads the datasource variable`);
        assert.equal(v.definition, v.query.query, `${v.name}: definition and query agree`);
        const parsed = parseLabelValues(v.query.query);
        assert.ok(parsed, `${v.name}: label_values(<series>, <label>) query, got ${v.query.query}`);
        assert.equal(parsed.label, v.name, `${v.name} lists values of the label of the same name`);
        const series = seriesNames(parsed.selector);
        assert.ok(series.length === 1 && (series[0] as string).includes(':'), `${v.name} reads a recorded series: ${parsed.selector}`);
        // Grafana resolves variables in order: a query may only use variables defined before it.
        const earlier = names.slice(0, names.indexOf(v.name));
        for (const ref of referencedVariables(parsed.selector)) assert.ok(earlier.includes(ref), `${v.name} uses $${ref} before it is defined`);
      });
    });

    test('every panel reads the datasource variable, states a unit and defines its number', () => {
      const panels = dataPanels(dashboard);
      const ids = dashboard.panels.map((p) => p.id);
      assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
      for (const panel of panels) {
        const p = `panel ${panel.id} "${panel.title}"`;
        assert.ok(panel.title.length > 0, `${p} has a title`);
        assert.ok(panel.description.length >= 30, `${p} has a description defining its number`);
        assert.deepEqual(panel.datasource, { type: 'prometheus', uid: '${datasource}' }, `${p} datasource`);
        assert.ok(panel.targets.length > 0, `${p} has queries`);
        const refIds = panel.targets.map((t) => t.refId);
        assert.equal(new Set(refIds).size, refIds.length, `${p} refIds are unique`);
        for (const target of panel.targets) {
          assert.deepEqual(target.datasource, { type: 'prometheus', uid: '${datasource}' }, `${p} ${target.refId} datasource`);
          assert.ok(target.expr.trim().length > 0, `${p} ${target.refId} has an expression`);
        }
        assert.ok(isKnownUnit(panel.fieldConfig.defaults.unit), `${p} unit ${String(panel.fieldConfig.defaults.unit)}`);
        for (const override of panel.fieldConfig.overrides) {
          for (const property of override.properties) {
            if (property.id === 'unit') assert.ok(isKnownUnit(property.value), `${p} override unit ${String(property.value)}`);
          }
        }
      }
    });

    test('panels sit on the 24-column grid without overlapping', () => {
      const boxes = dashboard.panels.map((p) => ({ title: p.title, ...p.gridPos }));
      for (const b of boxes) {
        assert.ok(b.x >= 0 && b.w > 0 && b.x + b.w <= 24 && b.h > 0 && b.y >= 0, `"${b.title}" gridPos ${JSON.stringify(b)}`);
      }
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i]!;
          const b = boxes[j]!;
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          assert.ok(!overlap, `"${a.title}" and "${b.title}" overlap`);
        }
      }
    });

    test('every variable used in queries and links is defined', () => {
      const defined = new Set(dashboard.templating.list.map((v) => v.name));
      const texts = [
        ...panelQueries(file).map((q) => q.expr),
        ...dataPanels(dashboard).flatMap((p) => panelDataLinks(p).map((l) => l.url)),
        ...dashboard.links.map((l) => l.url),
      ];
      for (const text of texts) {
        for (const name of referencedVariables(text)) {
          assert.ok(defined.has(name) || isBuiltinVariable(name), `$${name} is not a variable of ${where}: ${text}`);
        }
      }
    });

    test('links lead to existing dashboards and app pages, keeping time and variables', () => {
      const routes = appRoutes();
      for (const link of dashboard.links) {
        assert.equal(link.keepTime, true, `dashboard link "${link.title}" keeps the time range`);
        if (link.type === 'dashboards') {
          assert.equal(link.includeVars, true, `dashboard link "${link.title}" keeps the variables`);
          for (const tag of link.tags) assert.ok(tags.has(tag), `dashboard link "${link.title}" lists tag ${tag}, which no dashboard has`);
        } else {
          assert.equal(linkProblem(link.url, routes), undefined, `dashboard link "${link.title}"`);
        }
      }
      assert.ok(
        dashboard.links.some((l) => l.type === 'link' && l.url.startsWith(APP_BASE)),
        'links to the app page answering the same question',
      );
      for (const panel of dataPanels(dashboard)) {
        for (const link of panelDataLinks(panel)) {
          assert.equal(linkProblem(link.url, routes), undefined, `panel "${panel.title}" link "${link.title}"`);
          assert.ok(link.url.includes('${__url_time_range}'), `panel "${panel.title}" link "${link.title}" keeps the time range`);
        }
      }
    });

    test('queries read the recorded series of alerts/, and raw series only where no recording exists', () => {
      const recorded = recordedSeries();
      const allowedRaw = new Set(RAW_SERIES_ALLOWED[dashboard.uid] ?? []);
      const exprs = [
        ...panelQueries(file).map((q) => ({ where: `panel ${q.panelId} "${q.panelTitle}" ${q.refId}`, expr: q.expr })),
        ...queryVariables(dashboard).map((v) => ({ where: `variable ${v.name}`, expr: v.query.query })),
      ];
      for (const { where: w, expr } of exprs) {
        const series = seriesNames(expr);
        assert.ok(series.length > 0, `${w} reads no gpufleet series: ${expr}`);
        for (const name of series) {
          if (name.includes(':')) assert.ok(recorded.has(name), `${w} reads ${name}, which no rule in alerts/ records`);
          else assert.ok(allowedRaw.has(name), `${w} reads the raw series ${name}; use a recording (or list it in RAW_SERIES_ALLOWED with a reason)`);
        }
      }
    });
  });
}
