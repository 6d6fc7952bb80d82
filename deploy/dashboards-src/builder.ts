import {
  DATASOURCE_REF,
  SCHEMA_VERSION,
  type Dashboard,
  type DashboardLink,
  type DataLink,
  type FieldConfigDefaults,
  type FieldOverride,
  type GridPos,
  type Panel,
  type RowPanel,
  type Target,
  type ThresholdStep,
  type ValueMapping,
  type Variable,
} from './grafana.js';
import { FLEET_TAG } from './links.js';

/*
 * Small factories for the panel kinds the dashboards use. They fix the conventions once: every panel
 * reads the `datasource` variable, states its unit and defines its number in a description; table
 * queries are instant and merged into one row per label set.
 */

export interface Query {
  expr: string;
  /** Legend of time series (Grafana legend format, e.g. `{{node}}`). */
  legend?: string;
}

interface PanelSpec {
  title: string;
  /** What the number is, in words a reader can check against the query. */
  description: string;
  /** Grafana unit id, e.g. currencyUSD, percentunit, bytes. */
  unit: string;
  w: number;
  h: number;
  decimals?: number;
  min?: number;
  max?: number;
  thresholds?: ThresholdStep[];
  mappings?: ValueMapping[];
  links?: DataLink[];
  overrides?: FieldOverride[];
}

/** A panel without its place on the grid; `layout` gives it an id and a position. */
export type PanelDraft = Omit<Panel, 'id' | 'gridPos'> & { size: { w: number; h: number } };

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function targets(queries: readonly Query[], mode: 'range' | 'instant', format: Target['format']): Target[] {
  if (queries.length > REF_IDS.length) throw new Error(`too many queries (${queries.length}) in one panel`);
  return queries.map((q, i) => ({
    refId: REF_IDS[i] as string,
    datasource: DATASOURCE_REF,
    editorMode: 'code',
    expr: q.expr,
    legendFormat: q.legend ?? '__auto',
    range: mode === 'range',
    instant: mode === 'instant',
    format,
  }));
}

const GREEN_ONLY: ThresholdStep[] = [{ color: 'green', value: null }];

/** Idle waste as a share of spend: over 10 % deserves a look, over 25 % is money burning. */
export const IDLE_SHARE_THRESHOLDS: ThresholdStep[] = [
  { color: 'green', value: null },
  { color: 'orange', value: 0.1 },
  { color: 'red', value: 0.25 },
];

function defaults(spec: PanelSpec, extra: Partial<FieldConfigDefaults> = {}): FieldConfigDefaults {
  const d: FieldConfigDefaults = { unit: spec.unit, thresholds: { mode: 'absolute', steps: spec.thresholds ?? GREEN_ONLY }, ...extra };
  if (spec.decimals !== undefined) d.decimals = spec.decimals;
  if (spec.min !== undefined) d.min = spec.min;
  if (spec.max !== undefined) d.max = spec.max;
  if (spec.mappings) d.mappings = spec.mappings;
  if (spec.links) d.links = spec.links;
  return d;
}

function base(spec: PanelSpec, type: string, t: Target[], fieldDefaults: FieldConfigDefaults, options: Record<string, unknown>): PanelDraft {
  return {
    type,
    title: spec.title,
    description: spec.description,
    datasource: DATASOURCE_REF,
    targets: t,
    fieldConfig: { defaults: fieldDefaults, overrides: spec.overrides ?? [] },
    options,
    size: { w: spec.w, h: spec.h },
  };
}

const REDUCE_LAST = { calcs: ['lastNotNull'], fields: '', values: false };

/** One or a few numbers. Instant by default: "now" numbers and sums over `$__range` need no history. */
export function stat(spec: PanelSpec & { queries: Query[]; sparkline?: boolean }): PanelDraft {
  const mode = spec.sparkline ? 'range' : 'instant';
  return base(spec, 'stat', targets(spec.queries, mode, 'time_series'), defaults(spec, { color: { mode: 'thresholds' } }), {
    reduceOptions: REDUCE_LAST,
    colorMode: 'value',
    graphMode: spec.sparkline ? 'area' : 'none',
    justifyMode: 'auto',
    orientation: 'auto',
    textMode: 'auto',
    wideLayout: true,
    showPercentChange: false,
  });
}

export function timeseries(
  spec: PanelSpec & { queries: Query[]; stack?: boolean; thresholdLine?: boolean; legendCalcs?: string[]; bars?: boolean },
): PanelDraft {
  return base(
    spec,
    'timeseries',
    targets(spec.queries, 'range', 'time_series'),
    defaults(spec, {
      color: { mode: 'palette-classic' },
      custom: {
        drawStyle: spec.bars ? 'bars' : 'line',
        lineWidth: 1,
        fillOpacity: spec.stack ? 60 : 10,
        gradientMode: 'none',
        showPoints: 'never',
        spanNulls: false,
        stacking: { mode: spec.stack ? 'normal' : 'none', group: 'A' },
        axisSoftMin: 0,
        thresholdsStyle: { mode: spec.thresholdLine ? 'dashed' : 'off' },
      },
    }),
    {
      legend: { showLegend: true, displayMode: spec.legendCalcs ? 'table' : 'list', placement: 'bottom', calcs: spec.legendCalcs ?? [] },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
  );
}

/** Ranked horizontal bars of an instant query, one bar per series. */
export function bargauge(spec: PanelSpec & { queries: Query[] }): PanelDraft {
  return base(spec, 'bargauge', targets(spec.queries, 'instant', 'time_series'), defaults(spec, { color: { mode: 'continuous-GrYlRd' } }), {
    reduceOptions: REDUCE_LAST,
    orientation: 'horizontal',
    displayMode: 'gradient',
    valueMode: 'color',
    namePlacement: 'auto',
    showUnfilled: true,
    sizing: 'auto',
    minVizHeight: 16,
    maxVizHeight: 300,
  });
}

/** 0/1 states per series over time (throttle reasons). */
export function stateTimeline(spec: PanelSpec & { queries: Query[] }): PanelDraft {
  return base(spec, 'state-timeline', targets(spec.queries, 'range', 'time_series'), defaults(spec, { color: { mode: 'thresholds' } }), {
    mergeValues: true,
    showValue: 'never',
    alignValue: 'left',
    rowHeight: 0.9,
    legend: { showLegend: true, displayMode: 'list', placement: 'bottom' },
    tooltip: { mode: 'single', sort: 'none' },
  });
}

export interface Column extends Query {
  /** Header of the value column this query fills. */
  column: string;
  unit: string;
  decimals?: number;
  mappings?: ValueMapping[];
}

/**
 * One row per label set, one value column per query. Queries are instant; Grafana names their value
 * fields `Value` (one query) or `Value #<refId>` (several), which the overrides rename and give units.
 */
export function table(
  spec: Omit<PanelSpec, 'unit'> & {
    columns: Column[];
    /** Labels not worth a column. */
    hide?: string[];
    /** Target labels hidden by default (job, instance) that this table needs. */
    show?: string[];
    sortBy?: { column: string; desc: boolean };
    /** Field links, e.g. the node column to the Node detail dashboard. */
    fieldLinks?: Record<string, DataLink[]>;
    /** Identity (`_info`) tables: the labels are the content and the constant 1 is hidden. */
    labelsOnly?: boolean;
  },
): PanelDraft {
  const valueField = (i: number) => (spec.columns.length === 1 ? 'Value' : `Value #${REF_IDS[i]}`);
  const overrides: FieldOverride[] = spec.columns.map((c, i) => {
    const properties: FieldOverride['properties'] = [
      { id: 'displayName', value: c.column },
      { id: 'unit', value: c.unit },
    ];
    if (c.decimals !== undefined) properties.push({ id: 'decimals', value: c.decimals });
    if (c.mappings) properties.push({ id: 'mappings', value: c.mappings });
    return { matcher: { id: 'byName', options: valueField(i) }, properties };
  });
  for (const [field, links] of Object.entries(spec.fieldLinks ?? {})) {
    overrides.push({ matcher: { id: 'byName', options: field }, properties: [{ id: 'links', value: links }] });
  }
  const exclude: Record<string, boolean> = { Time: true, __name__: true, job: true, instance: true };
  for (const label of spec.hide ?? []) exclude[label] = true;
  for (const label of spec.show ?? []) delete exclude[label];
  if (spec.labelsOnly) spec.columns.forEach((_, i) => (exclude[valueField(i)] = true));
  const first = spec.columns[0];
  if (!first) throw new Error(`table "${spec.title}" has no columns`);
  const draft = base(
    { ...spec, unit: first.unit, overrides: [...overrides, ...(spec.overrides ?? [])] },
    'table',
    targets(spec.columns, 'instant', 'table'),
    defaults({ ...spec, unit: first.unit }, { custom: { align: 'auto', cellOptions: { type: 'auto' }, inspect: false } }),
    {
      showHeader: true,
      cellHeight: 'sm',
      footer: { show: false, reducer: ['sum'], countRows: false, fields: '' },
      sortBy: spec.sortBy ? [{ displayName: spec.sortBy.column, desc: spec.sortBy.desc }] : [],
    },
  );
  // Drop __name__ (and other noise) from each frame before merging: merge keys rows on the fields every
  // frame has, and differing metric names would keep a node's columns on separate rows.
  draft.transformations = [
    { id: 'organize', options: { excludeByName: exclude, indexByName: {}, renameByName: {} } },
    ...(spec.columns.length > 1 ? [{ id: 'merge', options: {} }] : []),
  ];
  return draft;
}

export interface Row {
  /** Row header; omit for panels above the first row. */
  title?: string;
  panels: PanelDraft[];
}

/** Places panels left to right on Grafana's 24-column grid, one row header per section. */
export function layout(rows: readonly Row[]): (Panel | RowPanel)[] {
  const out: (Panel | RowPanel)[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    if (row.title !== undefined) {
      out.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
      y += 1;
    }
    let x = 0;
    let lineHeight = 0;
    for (const draft of row.panels) {
      const { size, ...panel } = draft;
      if (size.w < 1 || size.w > 24) throw new Error(`panel "${panel.title}" is ${size.w} columns wide; the grid has 24`);
      if (x + size.w > 24) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      const gridPos: GridPos = { h: size.h, w: size.w, x, y };
      out.push({ id: id++, gridPos, ...panel });
      x += size.w;
      lineHeight = Math.max(lineHeight, size.h);
    }
    y += lineHeight;
  }
  return out;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  time: { from: string; to: string };
  refresh: string;
  variables: Variable[];
  links: DashboardLink[];
  rows: Row[];
}

export function dashboard(spec: DashboardSpec): Dashboard {
  return {
    id: null,
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: [FLEET_TAG],
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    editable: true,
    graphTooltip: 1,
    fiscalYearStartMonth: 0,
    liveNow: false,
    timezone: 'browser',
    weekStart: '',
    refresh: spec.refresh,
    time: spec.time,
    timepicker: {},
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    templating: { list: spec.variables },
    links: spec.links,
    panels: layout(spec.rows),
  };
}
