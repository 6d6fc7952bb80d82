import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { RangeSeries } from '../lib/prometheus';
import { dotsPath, Extent, linePath } from '../lib/sparkline';

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
/** Room at the edges (in viewBox units) so the newest point's dot is not cut in half by the border. */
const INSET = 4;
/** Diameter of a lone point's dot, in screen pixels. */
const DOT = 6;

/**
 * A compact SVG line chart: enough for a trend, light enough to render anywhere. The SVG stretches to
 * the container's width; strokes keep their pixel width (non-scaling-stroke), and a point with no
 * neighbour (a young series' only sample) is drawn as a dot, since a line needs two.
 */
export function LineChart({ series, label, valueRange, formatValue, height = 160, testId, range }: Props) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const found = extentOf(series, valueRange);
  if (!found) {
    return <div className={s.empty}>No data in this range.</div>;
  }
  const extent = range ? { ...found, t0: range.fromMs / 1000, t1: range.toMs / 1000 } : found;
  const box = { width: WIDTH, height, inset: INSET };
  const palette = theme.visualization.palette;
  const color = (i: number) => theme.visualization.getColorByName(palette[i % palette.length]);
  return (
    <div data-testid={testId}>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} preserveAspectRatio="none" className={s.svg} style={{ height }} role="img">
        {series.map((one, i) => {
          const dots = dotsPath(one.times, one.values, extent, box);
          return (
            <g key={label(one)} stroke={color(i)} fill="none" strokeLinecap="round" strokeLinejoin="round">
              <path d={linePath(one.times, one.values, extent, box)} strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
              {dots && <path d={dots} strokeWidth={DOT} vectorEffect="non-scaling-stroke" />}
            </g>
          );
        })}
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
            <span key={label(one)} style={{ color: color(i) }}>
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
