import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { RangeSeries } from '../lib/prometheus';
import { Extent, linePath } from '../lib/sparkline';

interface Props {
  series: RangeSeries[];
  label: (series: RangeSeries) => string;
  /** Fixed value axis, e.g. [0, 1] for ratios; otherwise from the data. */
  valueRange?: [number, number];
  formatValue: (value: number) => string;
  height?: number;
  testId?: string;
  /** The page range in epoch ms, so a young series sits where it belongs instead of filling the width. */
  range?: { fromMs: number; toMs: number };
}

const WIDTH = 800;

/** A compact SVG line chart: enough for a trend, light enough to render anywhere. */
export function LineChart({ series, label, valueRange, formatValue, height = 160, testId, range }: Props) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const found = extentOf(series, valueRange);
  if (!found) {
    return <div className={s.empty}>No data in this range.</div>;
  }
  const extent = range ? { ...found, t0: range.fromMs / 1000, t1: range.toMs / 1000 } : found;
  const box = { width: WIDTH, height };
  const palette = theme.visualization.palette;
  return (
    <div data-testid={testId}>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} preserveAspectRatio="none" className={s.svg} style={{ height }} role="img">
        {series.map((one, i) => (
          <path
            key={label(one)}
            d={linePath(one.times, one.values, extent, box)}
            fill="none"
            stroke={theme.visualization.getColorByName(palette[i % palette.length])}
            strokeWidth={1.5}
            vectorEffect="non-scaling-stroke"
          />
        ))}
        {series.map((one, i) =>
          // A series with one point has no line yet: mark the point.
          one.values.filter(Number.isFinite).length === 1 ? (
            <circle
              key={`${label(one)}-point`}
              cx={(((one.times[one.values.findIndex(Number.isFinite)] - extent.t0) / Math.max(1, extent.t1 - extent.t0)) * WIDTH).toFixed(1)}
              cy={(height - ((one.values.find(Number.isFinite)! - extent.v0) / Math.max(1e-9, extent.v1 - extent.v0)) * height).toFixed(1)}
              r={3}
              fill={theme.visualization.getColorByName(palette[i % palette.length])}
            />
          ) : null
        )}
      </svg>
      <div className={s.axis}>
        <span>{new Date(extent.t0 * 1000).toISOString().slice(0, 16).replace('T', ' ')}</span>
        <span>
          {formatValue(extent.v0)} – {formatValue(extent.v1)}
        </span>
        <span>{new Date(extent.t1 * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC</span>
      </div>
      {series.length > 1 && (
        <div className={s.legend}>
          {series.map((one, i) => (
            <span key={label(one)} style={{ color: theme.visualization.getColorByName(palette[i % palette.length]) }}>
              ■ {label(one)}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

export function extentOf(series: RangeSeries[], valueRange?: [number, number]): Extent | null {
  let t0 = Infinity;
  let t1 = -Infinity;
  let v0 = Infinity;
  let v1 = -Infinity;
  for (const one of series) {
    for (let i = 0; i < one.times.length; i++) {
      const v = one.values[i];
      if (!Number.isFinite(v)) {
        continue;
      }
      t0 = Math.min(t0, one.times[i]);
      t1 = Math.max(t1, one.times[i]);
      v0 = Math.min(v0, v);
      v1 = Math.max(v1, v);
    }
  }
  if (!Number.isFinite(t0)) {
    return null;
  }
  if (valueRange) {
    [v0, v1] = valueRange;
  } else if (v0 === v1) {
    v0 -= 1;
    v1 += 1;
  }
  return { t0, t1, v0, v1 };
}

const getStyles = (theme: GrafanaTheme2) => ({
  svg: css`
    width: 100%;
    display: block;
    background: ${theme.colors.background.secondary};
    border: 1px solid ${theme.colors.border.weak};
  `,
  axis: css`
    display: flex;
    justify-content: space-between;
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
  legend: css`
    display: flex;
    flex-wrap: wrap;
    gap: ${theme.spacing(1)};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
  empty: css`
    color: ${theme.colors.text.secondary};
    font-style: italic;
  `,
});
