import React from 'react';
import { css } from '@emotion/css';
import { dateTime, GrafanaTheme2, SelectableValue, TimeRange } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Button, InlineField, Select, TimeRangePicker, useStyles2 } from '@grafana/ui';
import { URL_PARAMS } from '../constants';
import { useFleet } from './FleetContext';
import { testIds } from './testIds';
import { useClusters } from '../hooks/useClusters';

interface Props {
  testId: string;
  /** Controls specific to the page, shown after the shared ones. */
  controls?: React.ReactNode;
  children: React.ReactNode;
}

/**
 * Every page: the shared data source / cluster / time range toolbar, the page's own controls on a row
 * below it (so the shared row looks the same on every page and never pushes the time picker onto a
 * line of its own), then the page's content.
 */
export function PageFrame({ testId, controls, children }: Props) {
  const s = useStyles2(getStyles);
  const { datasources, datasource, cluster, range, setParams, refresh } = useFleet();
  const clusters = useClusters();

  const timeRange: TimeRange = {
    from: dateTime(range.fromMs),
    to: dateTime(range.toMs),
    raw: { from: range.from, to: range.to },
  };
  const onTimeChange = (next: TimeRange) => {
    const raw = (v: TimeRange['raw']['from']) => (typeof v === 'string' ? v : String(v.valueOf()));
    setParams({ [URL_PARAMS.from]: raw(next.raw.from), [URL_PARAMS.to]: raw(next.raw.to) });
  };
  const shift = (direction: -1 | 1) => {
    const span = range.toMs - range.fromMs;
    const offset = (direction * span) / 2;
    setParams({ [URL_PARAMS.from]: String(Math.round(range.fromMs + offset)), [URL_PARAMS.to]: String(Math.round(range.toMs + offset)) });
  };
  const zoomOut = () => {
    const span = range.toMs - range.fromMs;
    setParams({ [URL_PARAMS.from]: String(Math.round(range.fromMs - span / 2)), [URL_PARAMS.to]: String(Math.round(range.toMs + span / 2)) });
  };

  const dsOptions: Array<SelectableValue<string>> = datasources.map((d) => ({ label: d.name, value: d.uid }));
  const clusterOptions: Array<SelectableValue<string>> = [
    { label: 'All clusters', value: '' },
    ...clusters.map((c) => ({ label: c, value: c })),
  ];

  return (
    <PluginPage>
      <div className={s.header}>
        <div className={s.toolbar} data-testid={testIds.toolbar.container}>
          <InlineField label="Data source" data-testid={testIds.toolbar.datasource}>
            <Select
              inputId="gpufleet-datasource"
              width={24}
              options={dsOptions}
              value={datasource?.uid ?? null}
              onChange={(v) => setParams({ [URL_PARAMS.datasource]: v?.value ?? null, [URL_PARAMS.cluster]: null })}
              placeholder="No Prometheus data source"
            />
          </InlineField>
          <InlineField label="Cluster" data-testid={testIds.toolbar.cluster}>
            <Select
              inputId="gpufleet-cluster"
              width={22}
              options={clusterOptions}
              value={cluster}
              onChange={(v) => setParams({ [URL_PARAMS.cluster]: v?.value || null })}
            />
          </InlineField>
          <div className={s.time}>
            <div data-testid={testIds.toolbar.range}>
              <TimeRangePicker
                value={timeRange}
                onChange={onTimeChange}
                onMoveBackward={() => shift(-1)}
                onMoveForward={() => shift(1)}
                onZoom={zoomOut}
                timeZone="utc"
                onChangeTimeZone={() => undefined}
              />
            </div>
            <Button variant="secondary" icon="sync" onClick={refresh} data-testid={testIds.toolbar.refresh} aria-label="Refresh" />
          </div>
        </div>
        {controls && (
          <div className={s.pageControls} data-testid={testIds.toolbar.pageControls}>
            {controls}
          </div>
        )}
      </div>
      <div data-testid={testId}>{children}</div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  header: css`
    display: flex;
    flex-direction: column;
    gap: ${theme.spacing(1)};
    margin-bottom: ${theme.spacing(2)};
  `,
  toolbar: css`
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: ${theme.spacing(1)};
  `,
  // The time picker and refresh button stay together, right-aligned, when the row is too narrow.
  time: css`
    display: flex;
    align-items: center;
    gap: ${theme.spacing(1)};
    margin-left: auto;
  `,
  pageControls: css`
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: ${theme.spacing(1)};
  `,
});
