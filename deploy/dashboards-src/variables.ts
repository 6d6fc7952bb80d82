import { DATASOURCE_REF, type DatasourceVariable, type QueryVariable } from './grafana.js';

/*
 * Template variables shared by the dashboards. Names are the same everywhere so links that keep
 * variables (`includeVars`) carry the reader's selection from one dashboard to the next.
 */

/** Label matchers for the shared variables, written once so every query filters the same way. */
export const match = {
  cluster: 'cluster=~"$cluster"',
  team: 'team=~"$team"',
  /** Multi-select node variable (its All value lists the nodes of the selected teams). */
  nodes: 'node=~"$node"',
  /** Single-select node variable of the Node detail dashboard. */
  node: 'node="$node"',
  workload: 'workload=~"$workload"',
  gpu: 'gpu=~"$gpu"',
} as const;

/** A series selector: `sel('x', match.cluster)` → `x{cluster=~"$cluster"}`. */
export function sel(metric: string, ...matchers: string[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;
}

export function datasourceVariable(): DatasourceVariable {
  return {
    type: 'datasource',
    name: 'datasource',
    label: 'Data source',
    description: 'Prometheus-compatible data source holding the gpufleet recording rules',
    query: 'prometheus',
    regex: '',
    current: {},
    options: [],
    hide: 0,
    includeAll: false,
    multi: false,
    refresh: 1,
    skipUrlSync: false,
  };
}

interface QueryVariableSpec {
  name: string;
  label: string;
  description: string;
  /** The series whose label values are the choices. */
  series: string;
  multi: boolean;
  /**
   * Regex used for All. Leave undefined to make All the list of current choices, which is how a
   * node variable filtered by team keeps the team filter when All nodes are selected.
   */
  allValue?: string;
}

function queryVariable(spec: QueryVariableSpec): QueryVariable {
  const query = `label_values(${spec.series}, ${spec.name})`;
  const variable: QueryVariable = {
    type: 'query',
    name: spec.name,
    label: spec.label,
    description: spec.description,
    datasource: DATASOURCE_REF,
    definition: query,
    query: { qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    regex: '',
    sort: 1,
    refresh: 2,
    current: {},
    options: [],
    hide: 0,
    multi: spec.multi,
    includeAll: spec.multi,
    skipUrlSync: false,
  };
  if (spec.allValue !== undefined) variable.allValue = spec.allValue;
  return variable;
}

export function clusterVariable(): QueryVariable {
  return queryVariable({
    name: 'cluster',
    label: 'Cluster',
    description: 'Clusters with paid GPUs (fleet:gpufleet_gpus:count)',
    series: 'fleet:gpufleet_gpus:count',
    multi: true,
    allValue: '.*',
  });
}

export function teamVariable(): QueryVariable {
  return queryVariable({
    name: 'team',
    label: 'Team',
    description: 'Teams owning paid GPUs in the selected clusters (team:gpufleet_gpus:count)',
    series: 'team:gpufleet_gpus:count{cluster=~"$cluster"}',
    multi: true,
    // `.*` also matches nodes the price book gives no team.
    allValue: '.*',
  });
}

/** Nodes of the selected clusters and teams. */
export function nodeVariable(multi: boolean): QueryVariable {
  return queryVariable({
    name: 'node',
    label: 'Node',
    description: multi
      ? 'Nodes with paid GPUs in the selected clusters and teams (node:gpufleet_gpus:count); All means all of them'
      : 'The node shown (nodes with paid GPUs in the selected clusters and teams, node:gpufleet_gpus:count)',
    series: 'node:gpufleet_gpus:count{cluster=~"$cluster", team=~"$team"}',
    multi,
  });
}

export function workloadVariable(): QueryVariable {
  return queryVariable({
    name: 'workload',
    label: 'Workload',
    description: 'Multi-node workloads watched for stragglers (workload:gpufleet_sm_active:median)',
    series: 'workload:gpufleet_sm_active:median{cluster=~"$cluster"}',
    multi: true,
    allValue: '.*',
  });
}

/** Physical GPUs of the selected node (MIG instances are folded into their GPU by the recording). */
export function gpuVariable(): QueryVariable {
  return queryVariable({
    name: 'gpu',
    label: 'GPU',
    description: 'GPU indices of the node (gpu:gpufleet_useful:ratio)',
    series: 'gpu:gpufleet_useful:ratio{cluster=~"$cluster", node="$node"}',
    multi: true,
    allValue: '.*',
  });
}
