import React from 'react';
import { QueryResults } from '../api/prometheusClient';
import { DataTable } from '../components/DataTable';
import { useFleet } from '../components/FleetContext';
import { PageFrame } from '../components/PageFrame';
import { QueryStatus } from '../components/QueryStatus';
import { Section } from '../components/Section';
import { testIds } from '../components/testIds';
import { useFleetQueries } from '../hooks/useFleetQueries';
import { formatCount, formatDuration, formatMoney, formatRatio } from '../lib/format';
import { byLabels, keyOf } from '../lib/prometheus';
import { infraQueries } from '../lib/queries';

export interface InfraRow {
  key: string;
  cluster: string;
  model: string;
  infra: string;
  gpus: number | null;
  useful: number | null;
  jitter: number | null;
  costPerUseful: number | null;
}

const KEY = ['cluster', 'model', 'infra'];

/** One row per (cluster, model, infra), grouped by model so bare metal and virtualised sit side by side. */
export function infraRows(results: QueryResults): InfraRow[] {
  const i = results.instant;
  const useful = byLabels(i.useful, KEY);
  const jitter = byLabels(i.jitter, KEY);
  const cpu = byLabels(i.costPerUseful, KEY);
  const gpus = byLabels(i.gpus, KEY);
  const keys = new Set([...useful.keys(), ...gpus.keys()]);
  return [...keys]
    .map((key) => {
      const labels = (useful.get(key) ?? gpus.get(key))!.labels;
      return {
        key,
        cluster: labels.cluster ?? '',
        model: labels.model ?? '',
        infra: labels.infra ?? '',
        gpus: gpus.get(key)?.value ?? null,
        useful: useful.get(key)?.value ?? null,
        jitter: jitter.get(key)?.value ?? null,
        costPerUseful: cpu.get(key)?.value ?? null,
      };
    })
    .sort((a, b) => keyOf({ a: a.model, b: a.cluster, c: a.infra }, ['a', 'b', 'c']).localeCompare(keyOf({ a: b.model, b: b.cluster, c: b.infra }, ['a', 'b', 'c'])));
}

function Infra() {
  const state = useFleetQueries(infraQueries, (r) => r.instant.useful.length === 0 && r.instant.gpus.length === 0, 'infra');
  return (
    <PageFrame testId={testIds.infra.container}>
      <QueryStatus state={state}>{(results) => <InfraBody results={results} />}</QueryStatus>
    </PageFrame>
  );
}

export default Infra;

const INFRA_NAMES: Record<string, string> = { bare_metal: 'Bare metal', vm: 'Virtual machine', cloud: 'Cloud instance' };

function InfraBody({ results }: { results: QueryResults }) {
  const { settings, range } = useFleet();
  const money = { currency: settings.currency, currencyPerDollar: settings.currencyPerDollar };
  const rows = infraRows(results);
  return (
    <Section
      title="Bare metal vs virtualised"
      description={`The same GPU model by infrastructure, averaged over ${formatDuration(range.seconds)}: median useful ratio, p95 jitter (p95 over GPUs of the hourly standard deviation of the useful ratio) and cost per useful GPU-hour.`}
    >
      <DataTable
        testId={testIds.infra.table}
        rows={rows}
        rowKey={(r) => r.key}
        columns={[
          { id: 'model', header: 'GPU model', render: (r) => r.model, sortValue: (r) => r.model },
          { id: 'infra', header: 'Infra', render: (r) => INFRA_NAMES[r.infra] ?? r.infra, sortValue: (r) => r.infra },
          { id: 'cluster', header: 'Cluster', render: (r) => r.cluster },
          { id: 'gpus', header: 'GPUs', align: 'right', render: (r) => formatCount(r.gpus), sortValue: (r) => r.gpus },
          { id: 'useful', header: 'Median useful ratio', align: 'right', render: (r) => formatRatio(r.useful), sortValue: (r) => r.useful },
          { id: 'jitter', header: 'p95 jitter', align: 'right', render: (r) => formatRatio(r.jitter), sortValue: (r) => r.jitter },
          { id: 'cpu', header: 'Cost per useful GPU-hour', align: 'right', render: (r) => formatMoney(r.costPerUseful, money), sortValue: (r) => r.costPerUseful },
        ]}
      />
    </Section>
  );
}
