/*
 * The part of Grafana's dashboard JSON model (schemaVersion 39) the gpufleet dashboards use.
 * Typed here so a misspelt field fails the build instead of being ignored by Grafana.
 */

export const SCHEMA_VERSION = 39;

/** Every panel and variable query goes through the dashboard's `datasource` variable. */
export const DATASOURCE_REF = { type: 'prometheus', uid: '${datasource}' } as const;
export type DatasourceRef = typeof DATASOURCE_REF;

export interface GridPos {
  h: number;
  w: number;
  x: number;
  y: number;
}

export interface Target {
  refId: string;
  datasource: DatasourceRef;
  editorMode: 'code';
  expr: string;
  legendFormat: string;
  range: boolean;
  instant: boolean;
  format: 'time_series' | 'table';
}

export interface DataLink {
  title: string;
  url: string;
  targetBlank?: boolean;
}

export interface ThresholdStep {
  color: string;
  value: number | null;
}

export interface ValueMapping {
  type: 'value';
  options: Record<string, { text: string; color?: string; index: number }>;
}

export interface FieldConfigDefaults {
  unit: string;
  decimals?: number;
  min?: number;
  max?: number;
  color?: { mode: string };
  thresholds?: { mode: 'absolute'; steps: ThresholdStep[] };
  mappings?: ValueMapping[];
  links?: DataLink[];
  custom?: Record<string, unknown>;
}

export interface FieldOverride {
  matcher: { id: 'byName' | 'byFrameRefID' | 'byRegexp'; options: string };
  properties: { id: string; value: unknown }[];
}

export interface Transformation {
  id: string;
  options: Record<string, unknown>;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  description: string;
  gridPos: GridPos;
  datasource: DatasourceRef;
  targets: Target[];
  fieldConfig: { defaults: FieldConfigDefaults; overrides: FieldOverride[] };
  options: Record<string, unknown>;
  transformations?: Transformation[];
  links?: DataLink[];
}

export interface RowPanel {
  id: number;
  type: 'row';
  title: string;
  collapsed: false;
  gridPos: GridPos;
  panels: [];
}

export interface VariableOption {
  selected: boolean;
  text: string;
  value: string;
}

export interface DatasourceVariable {
  type: 'datasource';
  name: string;
  label: string;
  description: string;
  query: 'prometheus';
  regex: '';
  current: Record<string, never>;
  options: [];
  hide: 0;
  includeAll: false;
  multi: false;
  refresh: 1;
  skipUrlSync: false;
}

export interface QueryVariable {
  type: 'query';
  name: string;
  label: string;
  description: string;
  datasource: DatasourceRef;
  definition: string;
  query: { qryType: 1; query: string; refId: string };
  regex: '';
  sort: 1;
  /** 2: refresh the choices when the time range changes, so they list what exists in the range. */
  refresh: 2;
  current: Record<string, never>;
  options: [];
  hide: 0;
  multi: boolean;
  includeAll: boolean;
  allValue?: string;
  skipUrlSync: false;
}

export type Variable = DatasourceVariable | QueryVariable;

export interface DashboardLink {
  title: string;
  type: 'dashboards' | 'link';
  url: string;
  tags: string[];
  asDropdown: boolean;
  includeVars: boolean;
  keepTime: boolean;
  icon: string;
  tooltip: string;
  targetBlank: boolean;
}

export interface Dashboard {
  id: null;
  uid: string;
  title: string;
  description: string;
  tags: string[];
  schemaVersion: number;
  version: number;
  editable: boolean;
  graphTooltip: 1;
  fiscalYearStartMonth: 0;
  liveNow: false;
  timezone: 'browser';
  weekStart: '';
  refresh: string;
  time: { from: string; to: string };
  timepicker: Record<string, never>;
  annotations: { list: unknown[] };
  templating: { list: Variable[] };
  links: DashboardLink[];
  panels: (Panel | RowPanel)[];
}
