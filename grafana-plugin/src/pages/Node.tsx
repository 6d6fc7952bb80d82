import React, { useEffect, useState } from 'react';
import { Badge, InlineField, Select } from '@grafana/ui';
import { QueryResults } from '../api/prometheusClient';
import { DataTable } from '../components/DataTable';
import { useFleet } from '../components/FleetContext';
import { LineChart } from '../components/LineChart';
import { PageFrame } from '../components/PageFrame';
import { QueryStatus } from '../components/QueryStatus';
import { Section } from '../components/Section';
import { StatRow, StatTile } from '../components/StatTile';
import { testIds } from '../components/testIds';
import { URL_PARAMS } from '../constants';
import { useFleetQueries } from '../hooks/useFleetQueries';
import {
  formatBytes,
  formatBytesPerSecond,
  formatCelsius,
  formatCountOf,
  formatDuration,
  formatMoney,
  formatMoneyPerHour,
  formatRatio,
  formatWatts,
} from '../lib/format';
import { byLabel, InstantSample, scalarOf } from '../lib/prometheus';
import { nodeListQuery, nodeQueries } from '../lib/queries';

export interface GpuRow {
  uuid: string;
  gpu: string;
  model: string;
  driver: string;
  useful: number | null;
  memoryUsed: number | null;
  memoryTotal: number | null;
  power: number | null;
  temperature: number | null;
  throttle: string[];
  xids: string[];
}

/** One row per physical GPU of the node, joining the per-GPU answers on `uuid`. */
export function gpuRows(results: QueryResults): GpuRow[] {
  const i = results.instant;
  const info = new Map<string, InstantSample>();
  for (const sample of i.gpuInfo) {
    // MIG instances share their GPU's uuid; the first one is enough for identity.
    if (!info.has(sample.labels.uuid ?? '')) {
      info.set(sample.labels.uuid ?? '', sample);
    }
  }
  const useful = byLabel(i.gpuUseful, 'uuid');
  const used = byLabel(i.memoryUsed, 'uuid');
  const free = byLabel(i.memoryFree, 'uuid');
  const power = byLabel(i.power, 'uuid');
  const temperature = byLabel(i.temperature, 'uuid');
  const throttle = new Map<string, string[]>();
  for (const sample of i.throttled) {
    const list = throttle.get(sample.labels.uuid ?? '') ?? [];
    list.push(sample.labels.reason ?? 'unknown');
    throttle.set(sample.labels.uuid ?? '', list);
  }
  const xids = new Map<string, string[]>();
  for (const sample of i.xids) {
    const list = xids.get(sample.labels.uuid ?? '') ?? [];
    list.push(`XID ${sample.labels.xid ?? '?'} ×${Math.round(sample.value)}`);
    xids.set(sample.labels.uuid ?? '', list);
  }
  const uuids = new Set<string>([...info.keys(), ...useful.keys()]);
  return [...uuids]
    .map((uuid) => {
      const labels = info.get(uuid)?.labels ?? {};
      const u = used.get(uuid) ?? null;
      const f = free.get(uuid) ?? null;
      return {
        uuid,
        gpu: labels.gpu ?? i.gpuUseful.find((s) => s.labels.uuid === uuid)?.labels.gpu ?? '',
        model: labels.model ?? '',
        driver: labels.driver_version ?? '',
        useful: useful.get(uuid) ?? null,
        memoryUsed: u,
        memoryTotal: u !== null && f !== null ? u + f : null,
        power: power.get(uuid) ?? null,
        temperature: temperature.get(uuid) ?? null,
        throttle: (throttle.get(uuid) ?? []).sort(),
        xids: xids.get(uuid) ?? [],
      };
    })
    .sort((a, b) => Number(a.gpu) - Number(b.gpu) || a.gpu.localeCompare(b.gpu));
}

function Node() {
  const { params } = useFleet();
  const node = params.get(URL_PARAMS.node) ?? '';
  const state = useFleetQueries(
    (scope, seconds) => (node ? nodeQueries(scope, node, seconds) : null),
    (r) => r.instant.nodeInfo.length === 0 && r.instant.gpuInfo.length === 0,
    `node:${node}`
  );
  return (
    <PageFrame testId={testIds.node.container} controls={<NodePicker node={node} />}>
      {node ? (
        <QueryStatus state={state}>{(results) => <NodeBody results={results} />}</QueryStatus>
      ) : (
        <p>Pick a node above, or open one from any table of the other pages.</p>
      )}
    </PageFrame>
  );
}

export default Node;

function NodePicker({ node }: { node: string }) {
  const { client, cluster, range, setParams, refreshKey } = useFleet();
  const [nodes, setNodes] = useState<string[]>([]);
  useEffect(() => {
    let cancelled = false;
    client
      ?.instant(nodeListQuery({ cluster: cluster || undefined }), Math.floor(range.toMs / 1000))
      .then((samples) => !cancelled && setNodes([...new Set(samples.map((s) => s.labels.node ?? ''))].filter(Boolean).sort()))
      .catch(() => !cancelled && setNodes([]));
    return () => {
      cancelled = true;
    };
  }, [client, cluster, range.toMs, refreshKey]);
  return (
    <div data-testid={testIds.node.picker}>
      <InlineField label="Node">
        <Select
          inputId="gpufleet-node"
          width={30}
          options={nodes.map((n) => ({ label: n, value: n }))}
          value={node || null}
          onChange={(v) => setParams({ [URL_PARAMS.node]: v?.value ?? null })}
          placeholder="Node"
        />
      </InlineField>
    </div>
  );
}

function NodeBody({ results }: { results: QueryResults }) {
  const { settings, range } = useFleet();
  const money = { currency: settings.currency, currencyPerDollar: settings.currencyPerDollar };
  const i = results.instant;
  const info = i.nodeInfo[0]?.labels ?? {};
  const idle = new Map(i.idle.map((x) => [x.labels.kind ?? '', x.value]));
  const gpus = gpuRows(results);
  const nvme = [...new Set([...i.nvmeRead, ...i.nvmeWrite].map((s) => s.labels.device ?? ''))].sort();
  const read = byLabel(i.nvmeRead, 'device');
  const write = byLabel(i.nvmeWrite, 'device');
  const busy = byLabel(i.nvmeBusy, 'device');
  return (
    <>
      <StatRow>
        <StatTile
          title="Node"
          value={info.node ?? ''}
          detail={[info.team && `team ${info.team}`, info.provider, info.infra, info.pricing, info.model].filter(Boolean).join(' · ')}
          testId={testIds.node.summary}
        />
        <StatTile title="Cost now" value={formatMoneyPerHour(scalarOf(i.nodeInfo), money)} detail={formatCountOf(scalarOf(i.gpus), 'GPU')} />
        <StatTile title={`Cost over ${formatDuration(range.seconds)}`} value={formatMoney(scalarOf(i.costOverRange), money)} />
        <StatTile title="Useful ratio" value={formatRatio(scalarOf(i.useful))} />
        <StatTile title="Cost per useful GPU-hour" value={formatMoney(scalarOf(i.costPerUseful), money)} />
        <StatTile
          title="Idle waste now"
          value={formatMoneyPerHour((idle.get('unallocated') ?? 0) + (idle.get('allocated_idle') ?? 0), money)}
          detail={`unallocated ${formatMoneyPerHour(idle.get('unallocated') ?? 0, money)} · allocated idle ${formatMoneyPerHour(idle.get('allocated_idle') ?? 0, money)}`}
        />
      </StatRow>
      <Section title="GPUs">
        <DataTable
          testId={testIds.node.gpus}
          rows={gpus}
          rowKey={(r) => r.uuid}
          columns={[
            { id: 'gpu', header: 'GPU', render: (r) => r.gpu },
            { id: 'model', header: 'Model', render: (r) => r.model },
            { id: 'useful', header: 'Useful ratio', align: 'right', render: (r) => formatRatio(r.useful), sortValue: (r) => r.useful },
            {
              id: 'memory',
              header: 'Memory',
              align: 'right',
              render: (r) => `${formatBytes(r.memoryUsed)} / ${formatBytes(r.memoryTotal)}`,
              sortValue: (r) => r.memoryUsed,
            },
            { id: 'power', header: 'Power', align: 'right', render: (r) => formatWatts(r.power), sortValue: (r) => r.power },
            { id: 'temp', header: 'Temperature', align: 'right', render: (r) => formatCelsius(r.temperature), sortValue: (r) => r.temperature },
            {
              id: 'throttle',
              header: 'Throttling',
              render: (r) => (r.throttle.length ? r.throttle.map((t) => <Badge key={t} color="orange" text={t} />) : 'none'),
            },
            { id: 'xid', header: 'XIDs in range', render: (r) => (r.xids.length ? r.xids.map((x) => <Badge key={x} color="red" text={x} />) : 'none') },
            { id: 'uuid', header: 'UUID', render: (r) => r.uuid },
          ]}
        />
      </Section>
      <Section title="Useful ratio per GPU">
        <LineChart series={results.range.gpuUseful} label={(s) => `GPU ${s.labels.gpu ?? s.labels.uuid}`} valueRange={[0, 1]} formatValue={formatRatio} range={range} />
      </Section>
      <Section title="NVMe" description="Throughput over the last 5 minutes.">
        <DataTable
          testId={testIds.node.nvme}
          rows={nvme}
          rowKey={(d) => d}
          emptyText="No NVMe devices reported."
          columns={[
            { id: 'device', header: 'Device', render: (d) => d },
            { id: 'read', header: 'Read', align: 'right', render: (d) => formatBytesPerSecond(read.get(d)), sortValue: (d) => read.get(d) ?? null },
            { id: 'write', header: 'Write', align: 'right', render: (d) => formatBytesPerSecond(write.get(d)), sortValue: (d) => write.get(d) ?? null },
            { id: 'busy', header: 'Busy', align: 'right', render: (d) => formatRatio(busy.get(d)), sortValue: (d) => busy.get(d) ?? null },
          ]}
        />
      </Section>
    </>
  );
}
