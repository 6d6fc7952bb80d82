import React, { memo } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { formatRatio } from '../lib/format';
import { RangeSeries } from '../lib/prometheus';
import { alignTo, bandPath, Box, dotsPath, Extent, linePath, timeExtent } from '../lib/sparkline';
import { StragglerRow } from '../lib/stragglers';
import { testIds } from './testIds';

interface Props {
  rows: StragglerRow[];
  /** SM activity per node over the range, keyed by node. */
  seriesByNode: Map<string, RangeSeries>;
  median?: RangeSeries;
  mad?: RangeSeries;
}

const BOX: Box = { width: 160, height: 48, inset: 3 };
/** Diameter of a lone point's dot, in screen pixels. */
const DOT = 5;

interface Paths {
  line: string;
  dots: string;
}

function pathsOf(series: RangeSeries | undefined, extent: Extent): Paths {
  if (!series) {
    return { line: '', dots: '' };
  }
  return {
    line: linePath(series.times, series.values, extent, BOX),
    dots: dotsPath(series.times, series.values, extent, BOX),
  };
}

/**
 * One small chart per node of the workload, in ranking order, each with the workload median ± MAD
 * band behind it. The band and median paths are computed once and shared; each cell adds its own
 * line, so a 1,000-node job stays around two thousand SVG paths. Every cell spans the time the data
 * covers (not the page range), so a young job still fills its cells; a lone sample shows as a dot.
 */
export function SmallMultiples({ rows, seriesByNode, median, mad }: Props) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const times = timeExtent([...(median ? [median] : []), ...seriesByNode.values()]);
  const extent: Extent = { t0: times?.t0 ?? 0, t1: times?.t1 ?? 0, v0: 0, v1: 1 };
  let band = '';
  let medianPaths: Paths = { line: '', dots: '' };
  if (median) {
    const madValues = mad ? alignTo(median.times, mad.times, mad.values) : median.values.map(() => 0);
    const low = median.values.map((m, i) => m - madValues[i]);
    const high = median.values.map((m, i) => m + madValues[i]);
    band = bandPath(median.times, low, high, extent, BOX);
    medianPaths = pathsOf(median, extent);
  }
  const bandColor = theme.colors.text.disabled;
  return (
    <div className={s.grid} data-testid={testIds.stragglers.multiples}>
      {rows.map((row) => {
        const own = pathsOf(seriesByNode.get(row.node), extent);
        return (
          <Cell
            key={`${row.cluster}/${row.node}`}
            row={row}
            line={own.line}
            dots={own.dots}
            band={band}
            medianLine={medianPaths.line}
            medianDots={medianPaths.dots}
            bandColor={bandColor}
            lineColor={row.flagged ? theme.colors.error.main : theme.colors.primary.main}
          />
        );
      })}
    </div>
  );
}

interface CellProps {
  row: StragglerRow;
  // Strings only, so memo skips a cell whose drawing did not change.
  line: string;
  dots: string;
  band: string;
  medianLine: string;
  medianDots: string;
  bandColor: string;
  lineColor: string;
}

const Cell = memo(function Cell(props: CellProps) {
  const s = useStyles2(getStyles);
  const { row } = props;
  return (
    <div className={s.cell} data-testid={testIds.stragglers.multiple} data-node={row.node} data-flagged={row.flagged ? 'true' : 'false'}>
      <div className={s.title}>
        <span className={s.node}>{row.node}</span>
        <span>{formatRatio(row.smActive)}</span>
      </div>
      {/* Stretched to the cell's width; strokes and dots keep their pixel size. */}
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} preserveAspectRatio="none" className={s.svg} height={BOX.height}>
        {props.band && <path d={props.band} fill={props.bandColor} fillOpacity={0.25} stroke="none" />}
        {props.medianLine && (
          <path
            d={props.medianLine}
            fill="none"
            stroke={props.bandColor}
            strokeDasharray="3 2"
            strokeWidth={1}
            vectorEffect="non-scaling-stroke"
          />
        )}
        {props.medianDots && (
          <path
            d={props.medianDots}
            fill="none"
            stroke={props.bandColor}
            strokeLinecap="round"
            strokeWidth={DOT}
            vectorEffect="non-scaling-stroke"
          />
        )}
        <path
          d={props.line}
          fill="none"
          stroke={props.lineColor}
          strokeWidth={1.5}
          strokeLinejoin="round"
          vectorEffect="non-scaling-stroke"
        />
        {props.dots && (
          <path
            d={props.dots}
            fill="none"
            stroke={props.lineColor}
            strokeLinecap="round"
            strokeWidth={DOT}
            vectorEffect="non-scaling-stroke"
          />
        )}
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
  svg: css`
    display: block;
    width: 100%;
  `,
  node: css`
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  `,
});
