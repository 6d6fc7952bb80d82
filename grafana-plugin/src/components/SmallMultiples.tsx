import React, { memo } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { formatRatio } from '../lib/format';
import { RangeSeries } from '../lib/prometheus';
import { alignTo, bandPath, Box, Extent, linePath } from '../lib/sparkline';
import { StragglerRow } from '../lib/stragglers';
import { testIds } from './testIds';

interface Props {
  rows: StragglerRow[];
  /** SM activity per node over the range, keyed by node. */
  seriesByNode: Map<string, RangeSeries>;
  median?: RangeSeries;
  mad?: RangeSeries;
}

const BOX: Box = { width: 160, height: 48 };

/**
 * One small chart per node of the workload, in ranking order, each with the workload median ± MAD
 * band behind it. The band path is computed once and shared; each cell adds one line, so a
 * 1,000-node job stays around two thousand SVG paths.
 */
export function SmallMultiples({ rows, seriesByNode, median, mad }: Props) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const times = median?.times ?? [];
  const extent: Extent = { t0: times[0] ?? 0, t1: times[times.length - 1] ?? 1, v0: 0, v1: 1 };
  for (const one of seriesByNode.values()) {
    if (one.times.length > 0) {
      extent.t0 = Math.min(extent.t0 || one.times[0], one.times[0]);
      extent.t1 = Math.max(extent.t1, one.times[one.times.length - 1]);
    }
  }
  let band = '';
  let medianLine = '';
  if (median) {
    const madValues = mad ? alignTo(median.times, mad.times, mad.values) : median.values.map(() => 0);
    const low = median.values.map((m, i) => m - madValues[i]);
    const high = median.values.map((m, i) => m + madValues[i]);
    band = bandPath(median.times, low, high, extent, BOX);
    medianLine = linePath(median.times, median.values, extent, BOX);
  }
  const bandColor = theme.colors.text.disabled;
  return (
    <div className={s.grid} data-testid={testIds.stragglers.multiples}>
      {rows.map((row) => (
        <Cell
          key={`${row.cluster}/${row.node}`}
          row={row}
          path={linePath(seriesByNode.get(row.node)?.times ?? [], seriesByNode.get(row.node)?.values ?? [], extent, BOX)}
          band={band}
          medianLine={medianLine}
          bandColor={bandColor}
          lineColor={row.flagged ? theme.colors.error.main : theme.colors.primary.main}
        />
      ))}
    </div>
  );
}

const Cell = memo(function Cell(props: { row: StragglerRow; path: string; band: string; medianLine: string; bandColor: string; lineColor: string }) {
  const s = useStyles2(getStyles);
  const { row } = props;
  return (
    <div className={s.cell} data-testid={testIds.stragglers.multiple} data-node={row.node} data-flagged={row.flagged ? 'true' : 'false'}>
      <div className={s.title}>
        <span className={s.node}>{row.node}</span>
        <span>{formatRatio(row.smActive)}</span>
      </div>
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} width={BOX.width} height={BOX.height}>
        {props.band && <path d={props.band} fill={props.bandColor} fillOpacity={0.25} stroke="none" />}
        {props.medianLine && <path d={props.medianLine} fill="none" stroke={props.bandColor} strokeDasharray="3 2" strokeWidth={1} />}
        <path d={props.path} fill="none" stroke={props.lineColor} strokeWidth={1.5} />
      </svg>
    </div>
  );
});

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css`
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(176px, 1fr));
    gap: ${theme.spacing(1)};
  `,
  cell: css`
    background: ${theme.colors.background.secondary};
    border: 1px solid ${theme.colors.border.weak};
    padding: ${theme.spacing(0.5)};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
  title: css`
    display: flex;
    justify-content: space-between;
    gap: ${theme.spacing(0.5)};
  `,
  node: css`
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  `,
});
