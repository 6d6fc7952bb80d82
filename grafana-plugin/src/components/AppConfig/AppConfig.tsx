import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps } from '@grafana/data';
import { Alert, Button, Field, FieldSet, IconButton, Input, Select, useStyles2 } from '@grafana/ui';
import { savePluginSettings } from '../../api/pluginSettings';
import { createPromClient } from '../../api/prometheusClient';
import { AppSettings, readSettings, ReferenceOffer, validateSettings } from '../../lib/settings';
import { listPrometheusDataSources } from '../FleetContext';
import { testIds } from '../testIds';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<Partial<AppSettings>>> {}

const AppConfig = ({ plugin }: AppConfigProps) => {
  const s = useStyles2(getStyles);
  const { enabled, pinned, jsonData } = plugin.meta;
  const initial = readSettings(jsonData);
  const datasources = listPrometheusDataSources();
  const [datasourceUid, setDatasourceUid] = useState(initial.datasourceUid ?? '');
  const [idleThreshold, setIdleThreshold] = useState(String(initial.idleThreshold));
  const [currency, setCurrency] = useState(initial.currency);
  const [currencyPerDollar, setCurrencyPerDollar] = useState(String(initial.currencyPerDollar));
  const [offers, setOffers] = useState<ReferenceOffer[]>(initial.referenceOffers);
  const [status, setStatus] = useState<{ kind: 'saved' | 'error'; text: string } | null>(null);
  const errors = validateSettings({ idleThreshold, currency, currencyPerDollar });
  const knownOffers = useKnownOffers(datasourceUid || datasources[0]?.uid);

  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (errors.length > 0) {
      return;
    }
    const settings = readSettings({
      datasourceUid,
      idleThreshold: Number(idleThreshold),
      currency,
      currencyPerDollar: Number(currencyPerDollar),
      referenceOffers: offers,
    });
    try {
      await savePluginSettings(plugin.meta.id, { enabled: Boolean(enabled), pinned: Boolean(pinned), jsonData: settings });
      setStatus({ kind: 'saved', text: 'Settings saved. Pages use them on their next load.' });
    } catch (error) {
      const message = (error as { data?: { message?: string }; message?: string })?.data?.message ?? (error as Error)?.message;
      setStatus({ kind: 'error', text: `Saving failed: ${message ?? 'unknown error'}. Are you an administrator of this organisation?` });
    }
  };

  const setOffer = (index: number, change: Partial<ReferenceOffer>) =>
    setOffers((list) => list.map((o, i) => (i === index ? { ...o, ...change } : o)));

  return (
    <form onSubmit={onSubmit} data-testid={testIds.appConfig.container}>
      <FieldSet label="Data">
        <Field label="Prometheus data source" description="Default data source of every page; a page can still switch to another one.">
          <div data-testid={testIds.appConfig.datasource}>
            <Select
              inputId="gpufleet-config-datasource"
              width={40}
              options={[{ label: 'First Prometheus data source', value: '' }, ...datasources.map((d) => ({ label: d.name, value: d.uid }))]}
              value={datasourceUid}
              onChange={(v) => setDatasourceUid(v?.value ?? '')}
            />
          </div>
        </Field>
        <Field label="Idle threshold" description="A GPU whose useful ratio is below this (0–1) counts as idle on the Idle waste page.">
          <Input width={20} value={idleThreshold} onChange={(e) => setIdleThreshold(e.currentTarget.value)} data-testid={testIds.appConfig.idleThreshold} />
        </Field>
      </FieldSet>
      <FieldSet label="Money">
        <Field label="Currency" description="ISO 4217 code used to display amounts.">
          <Input width={20} value={currency} onChange={(e) => setCurrency(e.currentTarget.value)} data-testid={testIds.appConfig.currency} />
        </Field>
        <Field label="Units per US dollar" description="The recorded series are in dollars; amounts are multiplied by this rate for display. CSV exports stay in dollars.">
          <Input width={20} value={currencyPerDollar} onChange={(e) => setCurrencyPerDollar(e.currentTarget.value)} data-testid={testIds.appConfig.currencyPerDollar} />
        </Field>
      </FieldSet>
      <FieldSet label="Reference offers">
        <p className={s.help}>
          Offers compared on the Overview, by the <code>offer</code> label of <code>gpufleet_reference_gpu_hourly_cost_dollars</code>. Leave
          the list empty to show every offer the price book defines.
          {knownOffers.length > 0 && <> Offers in the data: {knownOffers.map((o) => <code key={o}>{o} </code>)}</>}
        </p>
        <div data-testid={testIds.appConfig.offers}>
          {offers.map((offer, index) => (
            <div key={index} className={s.offer}>
              <Input width={28} value={offer.offer} placeholder="offer label value" onChange={(e) => setOffer(index, { offer: e.currentTarget.value })} />
              <Input width={32} value={offer.label} placeholder="display name" onChange={(e) => setOffer(index, { label: e.currentTarget.value })} />
              <IconButton name="trash-alt" tooltip="Remove offer" onClick={() => setOffers((list) => list.filter((_, i) => i !== index))} />
            </div>
          ))}
          <Button variant="secondary" icon="plus" type="button" onClick={() => setOffers((list) => [...list, { offer: '', label: '' }])}>
            Add offer
          </Button>
        </div>
      </FieldSet>
      {errors.map((error) => (
        <Alert key={error} severity="warning" title={error} />
      ))}
      {status && (
        <div data-testid={testIds.appConfig.saved}>
          <Alert severity={status.kind === 'saved' ? 'success' : 'error'} title={status.text} />
        </div>
      )}
      <Button type="submit" data-testid={testIds.appConfig.submit} disabled={errors.length > 0}>
        Save settings
      </Button>
    </form>
  );
};

export default AppConfig;

/** The `offer` label values the chosen data source knows, to help fill the list; empty when it cannot say. */
function useKnownOffers(datasourceUid: string | undefined): string[] {
  const [offers, setOffers] = useState<{ uid?: string; values: string[] }>({ values: [] });
  useEffect(() => {
    let cancelled = false;
    if (datasourceUid) {
      createPromClient(datasourceUid)
        .labelValues('offer', 'gpufleet_reference_gpu_hourly_cost_dollars')
        .then((values) => !cancelled && setOffers({ uid: datasourceUid, values }))
        .catch(() => !cancelled && setOffers({ uid: datasourceUid, values: [] }));
    }
    return () => {
      cancelled = true;
    };
  }, [datasourceUid]);
  return offers.uid === datasourceUid ? offers.values : [];
}

const getStyles = (theme: GrafanaTheme2) => ({
  help: css`
    color: ${theme.colors.text.secondary};
  `,
  offer: css`
    display: flex;
    gap: ${theme.spacing(1)};
    align-items: center;
    margin-bottom: ${theme.spacing(1)};
  `,
});
