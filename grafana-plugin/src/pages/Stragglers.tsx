import React, { useMemo } from 'react';
import { Badge, InlineField, Select } from '@grafana/ui';
import { QueryResults } from '../api/prometheusClient';
import { DataTable } from '../components/DataTable';
import { useFleet } from '../components/FleetContext';
import { NodeLink } from '../components/NodeLink';
import { PageFrame } from '../components/PageFrame';
import { QueryStatus } from '../components/QueryStatus';
import { Section } from '../components/Section';
import { SmallMultiples } from '../components/SmallMultiples';
import { StatRow, StatTile } from '../components/StatTile';
import { testIds } from '../components/testIds';
import { URL_PARAMS } from '../constants';
import { useFleetQueries } from '../hooks/useFleetQueries';
import { formatCount, formatCountOf, formatNumber, formatRatio } from '../lib/format';
import { RangeSeries, scalarOf } from '../lib/prometheus';
import { stragglerListQueries, stragglerWorkloadQueries } from '../lib/queries';
import { rankStragglers, summariseWorkloads, WorkloadSummary } from '../lib/stragglers';

/** Small multiples use ~60 points each: enough to see a slowdown, cheap for 1,000 nodes. */
const MULTIPLE_POINTS = 60;

function Stragglers() {
  const { params, setParams } = useFleet();
  const list = useFleetQueries(stragglerListQueries, (r) => r.instant.medians.length === 0, 'stragglers');
  const workloads = useMemo(
    () => (list.status === 'done' ? summariseWorkloads(list.results.instant.medians, list.results.instant.counts) : []),
    [list]
  );
  const chosen = params.get(URL_PARAMS.workload) ?? workloads[0]?.workload ?? '';
  const controls = (
    <InlineField label="Workload">
      <Select
        inputId="gpufleet-workload"
        width={32}
        options={workloads.map((w) => ({ label: `${w.workload}${w.stragglers ? ` (${formatCountOf(w.stragglers, 'straggler')})` : ''}`, value: w.workload }))}
        value={chosen || null}
        onChange={(v) => setParams({ [URL_PARAMS.workload]: v?.value ?? null })}
        placeholder="Workload"
      />
    </InlineField>
  );
  return (
    <PageFrame testId={testIds.stragglers.container} controls={controls}>
      <QueryStatus state={list}>
        {(results) => (
          <>
            <StatRow>
              <StatTile title="Stragglers in the fleet" value={formatCount(scalarOf(results.instant.fleetCount) ?? 0)} />
              <StatTile title="Multi-node workloads" value={formatCount(workloads.length)} />
            </StatRow>
            <WorkloadTable workloads={workloads} chosen={chosen} />
            {chosen && <WorkloadDetail workload={chosen} />}
          </>
        )}
      </QueryStatus>
    </PageFrame>
  );
}

export default Stragglers;

function WorkloadTable({ workloads, chosen }: { workloads: WorkloadSummary[]; chosen: string }) {
  const { setParams } = useFleet();
  return (
    <Section title="Workloads" description="Jobs spanning three or more nodes; pick one to rank its nodes.">
      <DataTable
        testId={testIds.stragglers.workloads}
        rows={workloads}
        rowKey={(w) => `${w.cluster}/${w.workload}`}
        initialSort={{ id: 'stragglers', descending: true }}
        columns={[
          {
            id: 'workload',
            header: 'Workload',
            render: (w) =>
              w.workload === chosen ? (
                <strong>{w.workload}</strong>
              ) : (
                <a href="#" onClick={(e) => (e.preventDefault(), setParams({ [URL_PARAMS.workload]: w.workload }))}>
                  {w.workload}
                </a>
              ),
            sortValue: (w) => w.workload,
          },
          { id: 'cluster', header: 'Cluster', render: (w) => w.cluster },
          { id: 'median', header: 'Median SM active', align: 'right', render: (w) => formatRatio(w.median), sortValue: (w) => w.median },
          { id: 'stragglers', header: 'Stragglers', align: 'right', render: (w) => formatCount(w.stragglers), sortValue: (w) => w.stragglers },
        ]}
      />
    </Section>
  );
}

function WorkloadDetail({ workload }: { workload: string }) {
  const state = useFleetQueries(
    (scope) => stragglerWorkloadQueries(scope, workload),
    (r) => r.instant.smActive.length === 0 && r.instant.scores.length === 0,
    `workload:${workload}`,
    MULTIPLE_POINTS
  );
  return <QueryStatus state={state}>{(results) => <WorkloadBody results={results} workload={workload} />}</QueryStatus>;
}

function WorkloadBody({ results, workload }: { results: QueryResults; workload: string }) {
  const rows = useMemo(
    () => rankStragglers(results.instant.scores, results.instant.flags, results.instant.smActive),
    [results]
  );
  const rank = useMemo(() => new Map(rows.map((r, i) => [r, i + 1])), [rows]);
  const seriesByNode = useMemo(() => {
    const map = new Map<string, RangeSeries>();
    for (const one of results.range.smActive) {
      map.set(one.labels.node ?? '', one);
    }
    return map;
  }, [results]);
  return (
    <>
      <Section
        title={`Nodes of ${workload}, worst first`}
        description="Score: robust z-score of SM activity below the job median (median absolute deviation). A straggler is flagged at score ≥ 3.5 or 15 % below the fastest quartile, persisting 5 minutes."
      >
        <DataTable
          testId={testIds.stragglers.ranking}
          rows={rows}
          rowKey={(r) => `${r.cluster}/${r.node}`}
          columns={[
            { id: 'rank', header: '#', render: (r) => rank.get(r) },
            { id: 'node', header: 'Node', render: (r) => <NodeLink node={r.node} cluster={r.cluster} /> },
            { id: 'score', header: 'Score', align: 'right', render: (r) => formatNumber(r.score, 1), sortValue: (r) => r.score },
            { id: 'sm', header: 'SM active', align: 'right', render: (r) => formatRatio(r.smActive), sortValue: (r) => r.smActive },
            {
              id: 'status',
              header: 'Straggler',
              render: (r) => (r.flagged ? <Badge color="red" text={`yes: ${r.cause ?? 'unknown'}`} /> : 'no'),
            },
          ]}
        />
      </Section>
      <Section title="SM activity per node" description="Each node against the job median (dashed) ± MAD (band).">
        <SmallMultiples rows={rows} seriesByNode={seriesByNode} median={results.range.median[0]} mad={results.range.mad[0]} />
      </Section>
    </>
  );
}
