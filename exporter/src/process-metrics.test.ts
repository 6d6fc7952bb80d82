import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { registerProcessMetrics } from './process-metrics.js';

interface Scraped {
  type: string;
  values: Array<{ labels: Record<string, string | number>; value: number }>;
}

async function scrape(registry: Registry): Promise<Map<string, Scraped>> {
  const metrics = await registry.getMetricsAsJSON();
  return new Map(metrics.map((m) => [m.name, { type: String(m.type), values: m.values as Scraped['values'] }]));
}

function fresh(): Registry {
  const registry = new Registry();
  registerProcessMetrics(registry);
  return registry;
}

describe('registerProcessMetrics', () => {
  test('reports CPU, memory, start time, file descriptors and the Node.js version of this process', async () => {
    const scraped = await scrape(fresh());
    const value = (name: string) => scraped.get(name)?.values[0]?.value;
    assert.ok((value('process_resident_memory_bytes') ?? 0) > 1024 * 1024);
    assert.ok((value('nodejs_heap_size_used_bytes') ?? 0) > 0);
    assert.ok((value('nodejs_heap_size_total_bytes') ?? 0) >= (value('nodejs_heap_size_used_bytes') ?? 0));
    assert.ok((value('nodejs_external_memory_bytes') ?? -1) >= 0);
    const started = value('process_start_time_seconds') ?? 0;
    assert.ok(started <= Date.now() / 1000 + 1 && started > Date.now() / 1000 - 3600, `start time ${started}`);
    const user = value('process_cpu_user_seconds_total') ?? -1;
    const system = value('process_cpu_system_seconds_total') ?? -1;
    assert.ok(user > 0 && system >= 0);
    assert.equal(value('process_cpu_seconds_total'), (Math.round(user * 1e6) + Math.round(system * 1e6)) / 1e6);
    if (process.platform === 'linux') {
      assert.ok((value('process_open_fds') ?? 0) > 0);
      assert.ok((value('process_max_fds') ?? 0) >= (value('process_open_fds') ?? 0));
    }
    assert.deepEqual(scraped.get('nodejs_version_info')?.values, [
      {
        labels: {
          version: process.version,
          major: process.versions.node.split('.')[0],
          minor: process.versions.node.split('.')[1],
          patch: process.versions.node.split('.')[2],
        },
        value: 1,
      },
    ]);
  });

  test('follows the naming rules: _total only on counters, one unlabelled sample per process metric', async () => {
    for (const [name, metric] of await scrape(fresh())) {
      assert.equal(name.endsWith('_total'), metric.type === 'counter', name);
      assert.equal(metric.values.length, 1, name);
      if (name !== 'nodejs_version_info') assert.deepEqual(metric.values[0]?.labels, {}, name);
    }
  });

  test('leaves out the metrics that cost per scrape or between scrapes, and starts no timer', async () => {
    const before = process.getActiveResourcesInfo().length;
    const names = [...(await scrape(fresh())).keys()];
    assert.equal(process.getActiveResourcesInfo().length, before);
    for (const name of names) assert.doesNotMatch(name, /^nodejs_(active_|eventloop_|gc_|heap_space_)/);
  });

  test('CPU time only grows from one scrape to the next', async () => {
    const registry = fresh();
    const cpu = async () => (await scrape(registry)).get('process_cpu_seconds_total')!.values[0]!.value;
    const first = await cpu();
    let spin = 0;
    for (let i = 0; i < 2e6; i++) spin += i;
    assert.ok(spin > 0);
    const second = await cpu();
    assert.ok(second >= first, `${second} < ${first}`);
  });
});
