import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

interface Props {
  title: string;
  value: string;
  detail?: React.ReactNode;
  testId?: string;
  tone?: 'normal' | 'warning';
}

/** One headline number with a short explanation under it. */
export function StatTile({ title, value, detail, testId, tone = 'normal' }: Props) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.tile} data-testid={testId}>
      <div className={s.title}>{title}</div>
      <div className={tone === 'warning' ? `${s.value} ${s.warning}` : s.value} data-role="value">
        {value}
      </div>
      {detail && <div className={s.detail}>{detail}</div>}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tile: css`
    background: ${theme.colors.background.secondary};
    border: 1px solid ${theme.colors.border.weak};
    border-radius: ${theme.shape.radius.default};
    padding: ${theme.spacing(1.5, 2)};
    min-width: 180px;
    flex: 1 1 180px;
  `,
  title: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
  value: css`
    font-size: ${theme.typography.h2.fontSize};
    font-weight: ${theme.typography.fontWeightMedium};
  `,
  warning: css`
    color: ${theme.colors.warning.text};
  `,
  detail: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
});

/** A wrapping row of tiles. */
export function StatRow({ children }: { children: React.ReactNode }) {
  const s = useStyles2(getRowStyles);
  return <div className={s.row}>{children}</div>;
}

const getRowStyles = (theme: GrafanaTheme2) => ({
  row: css`
    display: flex;
    flex-wrap: wrap;
    gap: ${theme.spacing(1)};
    margin-bottom: ${theme.spacing(2)};
  `,
});
