import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Badge, useStyles2 } from '@grafana/ui';
import { QueryResults } from '../api/prometheusClient';
import { DataTable } from '../components/DataTable';
import { useFleet } from '../components/FleetContext';
import { LineChart } from '../components/LineChart';
import { NodeLink } from '../components/NodeLink';
import { PageFrame } from '../components/PageFrame';
import { QueryStatus } from '../components/QueryStatus';
import { Section } from '../components/Section';
import { StatRow, StatTile } from '../components/StatTile';
import { testIds } from '../components/testIds';
import { useFleetQueries } from '../hooks/useFleetQueries';
import { formatCount, formatCountOf, formatDuration, formatGpuHours, formatMoney, formatMoneyPerHour, formatRatio } from '../lib/format';
import { groupFiringAlerts } from '../lib/alerts';
import { byLabels, InstantSample, keyOf, scalarOf } from '../lib/prometheus';
import { overviewQueries } from '../lib/queries';
import { AppSettings, offerDisplayName } from '../lib/settings';

function Overview() {
  const state = useFleetQueries(overviewQueries, (r) => r.instant.gpusNow.length === 0, 'overview');
  return (
    <PageFrame testId={testIds.overview.container}>
      <QueryStatus state={state}>{(results) => <OverviewBody results={results} />}</QueryStatus>
    </PageFrame>
  );
}

export default Overview;

interface OfferRow {
  key: string;
  cluster: string;
  model: string;
  offer: string;
  offerLabel: string;
  offerPrice: number | null;
  breakEven: number;
  useful: number | null;
  costPerUseful: number | null;
  monthlySaving: number | null;
}

/** One row per (cluster, model, offer) the break-even rule records, limited to the configured offers when any are set. */
export function offerRows(results: QueryResults, settings: AppSettings): OfferRow[] {
  const prices = byLabels(results.instant.offerPrice, ['model', 'offer']);
  const savings = byLabels(results.instant.monthlySaving, ['cluster', 'model', 'offer']);
  const useful = byLabels(results.instant.modelUseful, ['cluster', 'model']);
  const cpu = byLabels(results.instant.modelCostPerUseful, ['cluster', 'model']);
  const labels = new Map(settings.referenceOffers.map((o) => [o.offer, o.label]));
  return results.instant.breakEven
    .filter((s) => labels.size === 0 || labels.has(s.labels.offer ?? ''))
    .map((s: InstantSample) => {
      const { cluster = '', model = '', offer = '' } = s.labels;
      return {
        key: keyOf(s.labels, ['cluster', 'model', 'offer']),
        cluster,
        model,
        offer,
        offerLabel: labels.get(offer) ?? offerDisplayName(offer),
        offerPrice: prices.get(keyOf(s.labels, ['model', 'offer']))?.value ?? null,
        breakEven: s.value,
        useful: useful.get(keyOf(s.labels, ['cluster', 'model']))?.value ?? null,
        costPerUseful: cpu.get(keyOf(s.labels, ['cluster', 'model']))?.value ?? null,
        monthlySaving: savings.get(keyOf(s.labels, ['cluster', 'model', 'offer']))?.value ?? null,
      };
    })
    .sort((a, b) => (a.cluster + a.model + a.offerLabel).localeCompare(b.cluster + b.model + b.offerLabel));
}

function OverviewBody({ results }: { results: QueryResults }) {
  const s = useStyles2(getStyles);
  const { settings, range } = useFleet();
  const money = { currency: settings.currency, currencyPerDollar: settings.currencyPerDollar };
  const i = results.instant;
  const spendRate = scalarOf(i.spendRate);
  const spend = scalarOf(i.spendOverRange);
  const usefulHours = scalarOf(i.usefulGpuHours);
  const paidHours = scalarOf(i.paidGpuHours);
  const costPerUseful = spend !== null && usefulHours ? spend / usefulHours : null;
  const usefulNow = scalarOf(i.usefulNow);
  const gpusNow = scalarOf(i.gpusNow);
  const idle = new Map(i.idleRate.map((x) => [x.labels.kind ?? '', x.value]));
  const idleRange = new Map(i.idleOverRange.map((x) => [x.labels.kind ?? '', x.value]));
  const idleTotal = (idle.get('unallocated') ?? 0) + (idle.get('allocated_idle') ?? 0);
  const idleRangeTotal = (idleRange.get('unallocated') ?? 0) + (idleRange.get('allocated_idle') ?? 0);
  const stragglers = scalarOf(i.stragglers) ?? 0;
  const offers = offerRows(results, settings);
  const rangeText = formatDuration(range.seconds);

  return (
    <>
      <StatRow>
        <StatTile
          title="Fleet spend now"
          value={formatMoneyPerHour(spendRate, money)}
          detail={formatCountOf(gpusNow, 'paid GPU')}
          testId={testIds.overview.spendRate}
        />
        <StatTile
          title={`Spend over ${rangeText}`}
          value={formatMoney(spend, money)}
          detail={`${formatGpuHours(paidHours)} paid GPU-hours`}
          testId={testIds.overview.spendRange}
        />
        <StatTile
          title="Cost per useful GPU-hour"
          value={formatMoney(costPerUseful, money)}
          detail={`${formatGpuHours(usefulHours)} useful GPU-hours over ${rangeText}`}
          testId={testIds.overview.costPerUseful}
        />
        <StatTile
          title="Useful ratio now"
          value={formatRatio(usefulNow !== null && gpusNow ? usefulNow / gpusNow : null)}
          testId={testIds.overview.usefulRatio}
        />
        <StatTile
          title="Idle waste now"
          value={formatMoneyPerHour(idleTotal, money)}
          tone={idleTotal > 0 ? 'warning' : 'normal'}
          detail={
            <>
              unallocated {formatMoneyPerHour(idle.get('unallocated') ?? 0, money)} · allocated idle{' '}
              {formatMoneyPerHour(idle.get('allocated_idle') ?? 0, money)} · {formatMoney(idleRangeTotal, money)} over {rangeText}
            </>
          }
          testId={testIds.overview.idleWaste}
        />
        <StatTile
          title="Stragglers"
          value={formatCount(stragglers)}
          tone={stragglers > 0 ? 'warning' : 'normal'}
          detail={stragglers === 1 ? 'node slowing a job down' : 'nodes slowing a job down'}
          testId={testIds.overview.stragglers}
        />
      </StatRow>

      <Section title="Useful ratio" description="Σ useful ratio ÷ paid GPUs across the fleet.">
        <LineChart
          series={results.range.usefulTrend}
          label={() => 'useful ratio'}
          valueRange={[0, 1]}
          formatValue={formatRatio}
          testId={testIds.overview.trend}
          range={range}
        />
      </Section>

      <Section
        title="Against reference offers"
        description="Break-even: the useful ratio above which owning or renting this fleet costs less per useful GPU-hour than the offer on demand."
      >
        <DataTable
          testId={testIds.overview.offers}
          rows={offers}
          rowKey={(r) => r.key}
          emptyText="No reference offers recorded: add reference prices to the billing price book."
          columns={[
            { id: 'cluster', header: 'Cluster', render: (r) => r.cluster },
            { id: 'model', header: 'GPU model', render: (r) => r.model },
            { id: 'offer', header: 'Offer', render: (r) => r.offerLabel },
            { id: 'price', header: 'Offer $/GPU-hour', align: 'right', render: (r) => formatMoney(r.offerPrice, money), sortValue: (r) => r.offerPrice },
            { id: 'cpu', header: 'Ours per useful GPU-hour', align: 'right', render: (r) => formatMoney(r.costPerUseful, money), sortValue: (r) => r.costPerUseful },
            { id: 'useful', header: 'Useful ratio', align: 'right', render: (r) => formatRatio(r.useful), sortValue: (r) => r.useful },
            {
              id: 'breakEven',
              header: 'Break-even utilisation',
              align: 'right',
              render: (r) => (
                <span className={r.useful !== null && r.useful < r.breakEven ? s.bad : s.good}>{formatRatio(r.breakEven)}</span>
              ),
              sortValue: (r) => r.breakEven,
            },
            { id: 'saving', header: 'Saving / month', align: 'right', render: (r) => formatMoney(r.monthlySaving, money), sortValue: (r) => r.monthlySaving },
          ]}
        />
      </Section>

      <div className={s.columns}>
        <Section title="Top wasting nodes" description="Idle waste now, $/h.">
          <DataTable
            testId={testIds.overview.topNodes}
            rows={i.topNodes}
            rowKey={(r) => keyOf(r.labels, ['cluster', 'node'])}
            initialSort={{ id: 'waste', descending: true }}
            emptyText="No idle GPUs right now."
            columns={[
              { id: 'node', header: 'Node', render: (r) => <NodeLink node={r.labels.node ?? ''} cluster={r.labels.cluster} /> },
              { id: 'waste', header: 'Idle waste', align: 'right', render: (r) => formatMoneyPerHour(r.value, money), sortValue: (r) => r.value },
            ]}
          />
        </Section>
        <Section title="Top wasting teams" description="Idle waste now, $/h.">
          <DataTable
            testId={testIds.overview.topTeams}
            rows={i.topTeams}
            rowKey={(r) => r.labels.team ?? ''}
            initialSort={{ id: 'waste', descending: true }}
            emptyText="No idle GPUs right now."
            columns={[
              { id: 'team', header: 'Team', render: (r) => r.labels.team || '(no team)' },
              { id: 'waste', header: 'Idle waste', align: 'right', render: (r) => formatMoneyPerHour(r.value, money), sortValue: (r) => r.value },
            ]}
          />
        </Section>
        <Section title="Firing alerts">
          <DataTable
            testId={testIds.overview.alerts}
            rows={groupFiringAlerts(i.alerts)}
            rowKey={(r) => r.key}
            emptyText="No gpufleet alert is firing."
            columns={[
              { id: 'name', header: 'Alert', render: (r) => (r.count > 1 ? `${r.alertname} ×${r.count}` : r.alertname) },
              {
                id: 'severity',
                header: 'Severity',
                render: (r) => <Badge text={r.severity} color={r.severity === 'critical' ? 'red' : r.severity === 'info' ? 'blue' : 'orange'} />,
              },
              {
                id: 'where',
                header: 'Where',
                render: (r) => (r.node ? <NodeLink node={r.node} cluster={r.cluster || undefined} /> : r.scope),
              },
            ]}
          />
        </Section>
      </div>
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  columns: css`
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
    gap: ${theme.spacing(2)};
  `,
  good: css`
    color: ${theme.colors.success.text};
  `,
  bad: css`
    color: ${theme.colors.error.text};
  `,
});
