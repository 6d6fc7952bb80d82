import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { QueryResults } from '../api/prometheusClient';
import { DataTable } from '../components/DataTable';
import { useFleet } from '../components/FleetContext';
import { NodeLink } from '../components/NodeLink';
import { PageFrame } from '../components/PageFrame';
import { QueryStatus } from '../components/QueryStatus';
import { Section } from '../components/Section';
import { StatRow, StatTile } from '../components/StatTile';
import { testIds } from '../components/testIds';
import { useFleetQueries } from '../hooks/useFleetQueries';
import { formatCount, formatDuration, formatMoney, formatMoneyPerHour, formatRatio } from '../lib/format';
import { InstantSample, keyOf, scalarOf } from '../lib/prometheus';
import { idleWasteQueries } from '../lib/queries';

export interface WasteRow {
  key: string;
  labels: Record<string, string>;
  unallocated: number;
  allocatedIdle: number;
  total: number;
  overRange: number | null;
}

/** Pivots samples carrying a `kind` label into one row per key with both kinds side by side, worst first. */
export function pivotByKind(samples: InstantSample[], keyLabels: string[], overRange: InstantSample[] = []): WasteRow[] {
  const rows = new Map<string, WasteRow>();
  for (const sample of samples) {
    const key = keyOf(sample.labels, keyLabels);
    let row = rows.get(key);
    if (!row) {
      const labels: Record<string, string> = {};
      for (const name of keyLabels) {
        labels[name] = sample.labels[name] ?? '';
      }
      row = { key, labels, unallocated: 0, allocatedIdle: 0, total: 0, overRange: null };
      rows.set(key, row);
    }
    if (sample.labels.kind === 'unallocated') {
      row.unallocated += sample.value;
    } else if (sample.labels.kind === 'allocated_idle') {
      row.allocatedIdle += sample.value;
    }
    row.total = row.unallocated + row.allocatedIdle;
  }
  for (const sample of overRange) {
    const row = rows.get(keyOf(sample.labels, keyLabels));
    if (row) {
      row.overRange = sample.value;
    }
  }
  return [...rows.values()].sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
}

function IdleWaste() {
  const { settings } = useFleet();
  const state = useFleetQueries(
    (scope, seconds) => idleWasteQueries(scope, seconds, settings.idleThreshold),
    (r) => r.instant.fleetCost.length === 0,
    `idle:${settings.idleThreshold}`
  );
  return (
    <PageFrame testId={testIds.idle.container}>
      <QueryStatus state={state}>{(results) => <IdleBody results={results} />}</QueryStatus>
    </PageFrame>
  );
}

export default IdleWaste;

function IdleBody({ results }: { results: QueryResults }) {
  const s = useStyles2(getStyles);
  const { settings, range } = useFleet();
  const money = { currency: settings.currency, currencyPerDollar: settings.currencyPerDollar };
  const i = results.instant;
  const split = pivotByKind(i.rateByKind, [])[0];
  const overRange = new Map(i.overRangeByKind.map((x) => [x.labels.kind ?? '', x.value]));
  const fleetCost = scalarOf(i.fleetCost);
  // The rules record 0 for busy nodes and teams; only those wasting money now or over the range are listed.
  const nodes = pivotByKind(i.byNode, ['cluster', 'node'], i.byNodeOverRange).filter((r) => r.total > 0 || (r.overRange ?? 0) > 0);
  const teams = pivotByKind(i.byTeam, ['team']).filter((r) => r.total > 0);
  const gpus = pivotByKind(i.byGpu, ['cluster', 'node', 'gpu', 'uuid', 'model', 'team']);
  const underThreshold = i.gpuUseful;
  const rangeText = formatDuration(range.seconds);
  const total = split?.total ?? 0;

  const moneyColumns = [
    { id: 'unalloc', header: 'Unallocated $/h', align: 'right' as const, render: (r: WasteRow) => formatMoneyPerHour(r.unallocated, money), sortValue: (r: WasteRow) => r.unallocated },
    { id: 'allocIdle', header: 'Allocated idle $/h', align: 'right' as const, render: (r: WasteRow) => formatMoneyPerHour(r.allocatedIdle, money), sortValue: (r: WasteRow) => r.allocatedIdle },
    { id: 'total', header: 'Total $/h', align: 'right' as const, render: (r: WasteRow) => formatMoneyPerHour(r.total, money), sortValue: (r: WasteRow) => r.total },
  ];

  return (
    <>
      <div className={s.threshold} data-testid={testIds.idle.threshold}>
        Idle means a GPU&apos;s useful ratio stays below a threshold. Dollars come from the recording rules, whose threshold is{' '}
        <strong>{formatRatio(scalarOf(i.ruleThreshold))}</strong> (held for their minimum duration); the count of GPUs under the
        threshold right now uses the configured <strong>{formatRatio(settings.idleThreshold)}</strong>.
      </div>
      <StatRow>
        <StatTile
          title="Idle waste now"
          value={formatMoneyPerHour(total, money)}
          tone={total > 0 ? 'warning' : 'normal'}
          detail={fleetCost ? `${formatRatio(total / fleetCost)} of fleet spend` : undefined}
          testId={testIds.idle.split}
        />
        <StatTile title="Unallocated" value={formatMoneyPerHour(split?.unallocated ?? 0, money)} detail="no workload holds the GPU" />
        <StatTile title="Allocated idle" value={formatMoneyPerHour(split?.allocatedIdle ?? 0, money)} detail="a workload holds it and does nothing" />
        <StatTile
          title={`Wasted over ${rangeText}`}
          value={formatMoney((overRange.get('unallocated') ?? 0) + (overRange.get('allocated_idle') ?? 0), money)}
          detail={`unallocated ${formatMoney(overRange.get('unallocated') ?? 0, money)} · allocated idle ${formatMoney(overRange.get('allocated_idle') ?? 0, money)}`}
        />
        <StatTile title="GPUs under threshold now" value={formatCount(underThreshold.length)} />
      </StatRow>

      <Section title="By node">
        <DataTable
          testId={testIds.idle.byNode}
          rows={nodes}
          rowKey={(r) => r.key}
          initialSort={{ id: 'total', descending: true }}
          emptyText="No idle GPUs right now."
          columns={[
            { id: 'node', header: 'Node', render: (r) => <NodeLink node={r.labels.node} cluster={r.labels.cluster} />, sortValue: (r) => r.labels.node },
            { id: 'cluster', header: 'Cluster', render: (r) => r.labels.cluster },
            ...moneyColumns,
            { id: 'range', header: `Wasted (${rangeText})`, align: 'right', render: (r) => formatMoney(r.overRange, money), sortValue: (r) => r.overRange },
          ]}
        />
      </Section>
      <div className={s.columns}>
        <Section title="By team">
          <DataTable
            testId={testIds.idle.byTeam}
            rows={teams}
            rowKey={(r) => r.key}
            initialSort={{ id: 'total', descending: true }}
            emptyText="No idle GPUs right now."
            columns={[{ id: 'team', header: 'Team', render: (r) => r.labels.team || '(no team)', sortValue: (r) => r.labels.team }, ...moneyColumns]}
          />
        </Section>
        <Section title="By workload" description="Allocated-idle GPUs by the workload holding them.">
          <DataTable
            testId={testIds.idle.byWorkload}
            rows={i.byWorkload}
            rowKey={(r) => keyOf(r.labels, ['namespace', 'pod', 'hpc_job'])}
            initialSort={{ id: 'waste', descending: true }}
            emptyText="No workload holds an idle GPU."
            columns={[
              { id: 'workload', header: 'Workload', render: (r) => r.labels.hpc_job || [r.labels.namespace, r.labels.pod].filter(Boolean).join('/') || '(unnamed)' },
              { id: 'waste', header: 'Idle $/h', align: 'right', render: (r) => formatMoneyPerHour(r.value, money), sortValue: (r) => r.value },
            ]}
          />
        </Section>
      </div>
      <Section title="By GPU">
        <DataTable
          testId={testIds.idle.byGpu}
          rows={gpus}
          rowKey={(r) => r.key}
          initialSort={{ id: 'total', descending: true }}
          emptyText="No idle GPUs right now."
          columns={[
            { id: 'node', header: 'Node', render: (r) => <NodeLink node={r.labels.node} cluster={r.labels.cluster} />, sortValue: (r) => r.labels.node },
            { id: 'gpu', header: 'GPU', render: (r) => r.labels.gpu },
            { id: 'model', header: 'Model', render: (r) => r.labels.model },
            { id: 'team', header: 'Team', render: (r) => r.labels.team },
            ...moneyColumns,
          ]}
        />
      </Section>
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  threshold: css`
    color: ${theme.colors.text.secondary};
    margin-bottom: ${theme.spacing(1)};
  `,
  columns: css`
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(420px, 1fr));
    gap: ${theme.spacing(2)};
  `,
});
