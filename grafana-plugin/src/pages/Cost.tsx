import React from 'react';
import { InlineField, RadioButtonGroup } from '@grafana/ui';
import { QueryResults } from '../api/prometheusClient';
import { CsvDownloadButton } from '../components/CsvDownloadButton';
import { DataTable } from '../components/DataTable';
import { useFleet } from '../components/FleetContext';
import { PageFrame } from '../components/PageFrame';
import { QueryStatus } from '../components/QueryStatus';
import { Section } from '../components/Section';
import { StatRow, StatTile } from '../components/StatTile';
import { testIds } from '../components/testIds';
import { URL_PARAMS } from '../constants';
import { useFleetQueries } from '../hooks/useFleetQueries';
import { buildCsv, csvFileName } from '../lib/csv';
import { CurrencyOptions, formatCount, formatDuration, formatMoney, formatMoneyPerHour, formatRatio } from '../lib/format';
import { monthToDateLabel, monthToDateSpan, monthWindow, projectionLabel, projectMonth } from '../lib/month';
import { firstSampleResolution } from '../lib/promql';
import { byLabel, scalarOf } from '../lib/prometheus';
import { COST_DIMENSIONS, CostDimension, costQueries, isCostDimension } from '../lib/queries';

export interface CostRow {
  key: string;
  dollarsPerHourNow: number | null;
  gpusNow: number | null;
  cost: number | null;
  paidHours: number | null;
  usefulHours: number | null;
  effectivePerGpuHour: number | null;
  perUsefulGpuHour: number | null;
  usefulRatio: number | null;
  monthToDate: number | null;
  projectedMonth: number | null;
}

function ratio(a: number | null, b: number | null): number | null {
  return a !== null && b !== null && b > 0 ? a / b : null;
}

/** Joins the per-dimension answers into table rows; a value missing from one answer stays unknown. */
export function costRows(results: QueryResults, dimension: CostDimension, atMs: number): CostRow[] {
  const i = results.instant;
  const maps = {
    costNow: byLabel(i.costNow, dimension),
    gpusNow: byLabel(i.gpusNow, dimension),
    cost: byLabel(i.cost, dimension),
    paidHours: byLabel(i.paidHours, dimension),
    usefulHours: byLabel(i.usefulHours, dimension),
    monthToDate: byLabel(i.monthToDate, dimension),
  };
  const keys = new Set<string>([...maps.costNow.keys(), ...maps.cost.keys()]);
  const window = monthWindow(atMs);
  return [...keys].sort().map((key) => {
    const get = (m: Map<string, number>) => m.get(key) ?? null;
    const cost = get(maps.cost);
    const paidHours = get(maps.paidHours);
    const usefulHours = get(maps.usefulHours);
    const now = get(maps.costNow);
    const mtd = get(maps.monthToDate);
    return {
      key,
      dollarsPerHourNow: now,
      gpusNow: get(maps.gpusNow),
      cost,
      paidHours,
      usefulHours,
      effectivePerGpuHour: ratio(cost, paidHours),
      perUsefulGpuHour: ratio(cost, usefulHours),
      usefulRatio: ratio(usefulHours, paidHours),
      monthToDate: mtd,
      projectedMonth: projectMonth(mtd, now, window),
    };
  });
}

export const COST_CSV_HEADER = [
  'dimension',
  'value',
  'dollars_per_hour_now',
  'gpus_now',
  'cost_dollars',
  'paid_gpu_hours',
  'useful_gpu_hours',
  'effective_dollars_per_gpu_hour',
  'dollars_per_useful_gpu_hour',
  'useful_ratio',
  'month_to_date_dollars',
  'projected_month_dollars',
];

/** The CSV export keeps dollars and full precision, whatever the display currency, so finance can re-aggregate. */
export function costCsv(rows: CostRow[], dimension: CostDimension): string {
  return buildCsv(
    COST_CSV_HEADER,
    rows.map((r) => [
      dimension,
      r.key,
      r.dollarsPerHourNow,
      r.gpusNow,
      r.cost,
      r.paidHours,
      r.usefulHours,
      r.effectivePerGpuHour,
      r.perUsefulGpuHour,
      r.usefulRatio,
      r.monthToDate,
      r.projectedMonth,
    ])
  );
}

function Cost() {
  const { params, setParams, range } = useFleet();
  const raw = params.get(URL_PARAMS.dimension);
  const dimension: CostDimension = isCostDimension(raw) ? raw : 'team';
  const mtdSeconds = monthWindow(range.toMs).elapsedSeconds;
  const state = useFleetQueries(
    (scope, seconds) => costQueries(scope, dimension, seconds, mtdSeconds),
    (r) => r.instant.fleetCostNow.length === 0,
    `cost:${dimension}:${Math.floor(mtdSeconds / 3600)}`
  );
  const controls = (
    <InlineField label="Group by" data-testid={testIds.cost.dimension}>
      <RadioButtonGroup
        options={COST_DIMENSIONS}
        value={dimension}
        onChange={(value) => setParams({ [URL_PARAMS.dimension]: value })}
      />
    </InlineField>
  );
  return (
    <PageFrame testId={testIds.cost.container} controls={controls}>
      <QueryStatus state={state}>{(results) => <CostBody results={results} dimension={dimension} />}</QueryStatus>
    </PageFrame>
  );
}

export default Cost;

function CostBody({ results, dimension }: { results: QueryResults; dimension: CostDimension }) {
  const { settings, range } = useFleet();
  const money: CurrencyOptions = { currency: settings.currency, currencyPerDollar: settings.currencyPerDollar };
  const rows = costRows(results, dimension, range.toMs);
  const label = COST_DIMENSIONS.find((d) => d.value === dimension)?.label ?? dimension;
  const window = monthWindow(range.toMs);
  const fleetMtd = scalarOf(results.instant.fleetMonthToDate);
  const fleetNow = scalarOf(results.instant.fleetCostNow);
  const projected = projectMonth(fleetMtd, fleetNow, window);
  // The first sample is found on the month-to-date grid: within one of its steps of the month start is the whole month.
  const span = monthToDateSpan(window, scalarOf(results.instant.fleetFirstSample ?? []), firstSampleResolution(Math.max(60, window.elapsedSeconds)));
  const rangeText = formatDuration(range.seconds);

  return (
    <>
      <StatRow>
        <StatTile title="Spend now" value={formatMoneyPerHour(fleetNow, money)} />
        <StatTile
          title="Month to date"
          value={formatMoney(fleetMtd, money)}
          detail={monthToDateLabel(span)}
          testId={testIds.cost.monthToDate}
        />
        <StatTile
          title="Projected month"
          value={formatMoney(projected, money)}
          detail={projectionLabel(span, fleetMtd)}
          testId={testIds.cost.projected}
        />
      </StatRow>
      <Section
        title={`Effective cost by ${label.toLowerCase()}`}
        description={
          `Over the last ${rangeText}: what was paid per GPU-hour and per useful GPU-hour (paid ÷ Σ useful ratio).` +
          (span.dataBeginsLater ? ` Month to date counts ${monthToDateLabel(span)}.` : '')
        }
        actions={
          <CsvDownloadButton
            testId={testIds.cost.download}
            fileName={csvFileName(['gpufleet-cost', dimension], range.toMs)}
            build={() => costCsv(rows, dimension)}
          />
        }
      >
        <DataTable
          testId={testIds.cost.table}
          rows={rows}
          rowKey={(r) => r.key}
          initialSort={{ id: 'cost', descending: true }}
          columns={[
            { id: 'key', header: label, render: (r) => r.key || '(none)', sortValue: (r) => r.key },
            { id: 'now', header: 'Now $/h', align: 'right', render: (r) => formatMoneyPerHour(r.dollarsPerHourNow, money), sortValue: (r) => r.dollarsPerHourNow },
            { id: 'gpus', header: 'GPUs', align: 'right', render: (r) => formatCount(r.gpusNow), sortValue: (r) => r.gpusNow },
            { id: 'cost', header: `Cost (${rangeText})`, align: 'right', render: (r) => formatMoney(r.cost, money), sortValue: (r) => r.cost },
            { id: 'eff', header: '$/GPU-hour', align: 'right', render: (r) => formatMoney(r.effectivePerGpuHour, money), sortValue: (r) => r.effectivePerGpuHour },
            { id: 'useful', header: '$/useful GPU-hour', align: 'right', render: (r) => formatMoney(r.perUsefulGpuHour, money), sortValue: (r) => r.perUsefulGpuHour },
            { id: 'ratio', header: 'Useful ratio', align: 'right', render: (r) => formatRatio(r.usefulRatio), sortValue: (r) => r.usefulRatio },
            { id: 'mtd', header: 'Month to date', align: 'right', render: (r) => formatMoney(r.monthToDate, money), sortValue: (r) => r.monthToDate },
            { id: 'proj', header: 'Projected month', align: 'right', render: (r) => formatMoney(r.projectedMonth, money), sortValue: (r) => r.projectedMonth },
          ]}
        />
      </Section>
    </>
  );
}
