import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';

export interface Column<T> {
  id: string;
  header: string;
  render: (row: T) => React.ReactNode;
  /** Value used for sorting; columns without one are not sortable. */
  sortValue?: (row: T) => number | string | null;
  align?: 'left' | 'right';
}

interface Props<T> {
  columns: Array<Column<T>>;
  rows: T[];
  rowKey: (row: T) => string;
  testId?: string;
  initialSort?: { id: string; descending: boolean };
  emptyText?: string;
  caption?: string;
}

/** A plain, sortable table: the pages show tens to hundreds of rows, which needs no virtualisation. */
export function DataTable<T>({ columns, rows, rowKey, testId, initialSort, emptyText = 'No rows.', caption }: Props<T>) {
  const s = useStyles2(getStyles);
  const [sort, setSort] = useState(initialSort);
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.id === sort?.id);
    if (!column?.sortValue || !sort) {
      return rows;
    }
    const value = column.sortValue;
    const direction = sort.descending ? -1 : 1;
    return [...rows].sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      if (va === vb) {
        return 0;
      }
      if (va === null) {
        return 1;
      }
      if (vb === null) {
        return -1;
      }
      return (va < vb ? -1 : 1) * direction;
    });
  }, [columns, rows, sort]);

  const onHeader = (column: Column<T>) => {
    if (!column.sortValue) {
      return;
    }
    setSort((current) => ({ id: column.id, descending: current?.id === column.id ? !current.descending : true }));
  };

  return (
    // A table wider than the page (long UUIDs, many columns) scrolls inside its section, not the page.
    <div className={s.scroll}>
      <table className={s.table} data-testid={testId}>
        {caption && <caption className={s.caption}>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th
                key={column.id}
                className={column.align === 'right' ? s.right : undefined}
                onClick={() => onHeader(column)}
                style={{ cursor: column.sortValue ? 'pointer' : 'default' }}
                aria-sort={sort?.id === column.id ? (sort.descending ? 'descending' : 'ascending') : undefined}
              >
                {column.header}
                {sort?.id === column.id && <Icon name={sort.descending ? 'arrow-down' : 'arrow-up'} size="sm" />}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className={s.empty}>
                {emptyText}
              </td>
            </tr>
          ) : (
            sorted.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.id} className={column.align === 'right' ? s.right : undefined}>
                    {column.render(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  scroll: css`
    overflow-x: auto;
    margin-bottom: ${theme.spacing(2)};
  `,
  table: css`
    width: 100%;
    border-collapse: collapse;
    th,
    td {
      padding: ${theme.spacing(0.5, 1)};
      border-bottom: 1px solid ${theme.colors.border.weak};
      text-align: left;
      white-space: nowrap;
    }
    th {
      color: ${theme.colors.text.secondary};
      font-weight: ${theme.typography.fontWeightMedium};
    }
    tbody tr:hover {
      background: ${theme.colors.action.hover};
    }
  `,
  right: css`
    text-align: right !important;
    font-variant-numeric: tabular-nums;
  `,
  empty: css`
    color: ${theme.colors.text.secondary};
    font-style: italic;
  `,
  caption: css`
    caption-side: top;
    text-align: left;
    color: ${theme.colors.text.secondary};
    padding-bottom: ${theme.spacing(0.5)};
  `,
});
