import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { MetricFamily } from '../../exposition/types.js';
import { SourceError } from '../source.js';
import { createNvmeSource, readSysfsDeviceInfo } from './nvme-source.js';

const DISKSTATS = ` 259       0 nvme0n1 1000 0 2048 10 500 0 4096 20 0 ${2 ** 32 - 500} 30 0 0 0 0 0 0
 259       1 nvme0n1p1 900 0 2000 10 400 0 4000 20 0 1400 30 0 0 0 0 0 0
 259       2 nvme1n1 7 0 16 1 3 0 8 1 0 4 2 0 0 0 0 0 0
   8       0 sda 1 0 8 1 1 0 8 1 0 2 2 0 0 0 0 0 0
this line is garbage
`;

function family(families: MetricFamily[], name: string): MetricFamily {
  const found = families.find((f) => f.name === name);
  assert.ok(found, `family ${name}`);
  return found;
}

describe('createNvmeSource', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpufleet-nvme-'));
    await writeFile(join(dir, 'diskstats'), DISKSTATS);
    await mkdir(join(dir, 'block', 'nvme0n1', 'device'), { recursive: true });
    await writeFile(join(dir, 'block', 'nvme0n1', 'device', 'model'), 'SAMSUNG MZQL23T8HCLS-00A07              \n');
    await writeFile(join(dir, 'block', 'nvme0n1', 'device', 'serial'), '  S64HNE0T512345      \n');
    // nvme1n1 has a model file but no serial file.
    await mkdir(join(dir, 'block', 'nvme1n1', 'device'), { recursive: true });
    await writeFile(join(dir, 'block', 'nvme1n1', 'device', 'model'), 'Micron_7450_MTFDKCC3T8TFS\n');
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exports counters and identity of whole namespaces from files', async () => {
    const source = createNvmeSource({ node: 'gpu-01', path: join(dir, 'diskstats'), sysBlockPath: join(dir, 'block') });
    assert.equal(source.source, 'nvme');
    assert.equal(source.target, join(dir, 'diskstats'));
    const { families, problems } = await source.collect(new AbortController().signal);

    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /diskstats:5: expected 14, 18 or 20 fields/);

    assert.deepEqual(
      families.map((f) => [f.name, f.type]),
      [
        ['gpufleet_nvme_read_bytes_total', 'counter'],
        ['gpufleet_nvme_written_bytes_total', 'counter'],
        ['gpufleet_nvme_io_time_seconds_total', 'counter'],
        ['gpufleet_nvme_reads_completed_total', 'counter'],
        ['gpufleet_nvme_writes_completed_total', 'counter'],
        ['gpufleet_nvme_info', 'gauge'],
      ],
    );
    assert.deepEqual(family(families, 'gpufleet_nvme_read_bytes_total').samples, [
      { labels: { node: 'gpu-01', device: 'nvme0n1' }, value: 2048 * 512 },
      { labels: { node: 'gpu-01', device: 'nvme1n1' }, value: 16 * 512 },
    ]);
    assert.equal(family(families, 'gpufleet_nvme_written_bytes_total').samples[0]!.value, 4096 * 512);
    assert.equal(family(families, 'gpufleet_nvme_reads_completed_total').samples[1]!.value, 7);
    assert.equal(family(families, 'gpufleet_nvme_writes_completed_total').samples[1]!.value, 3);
    assert.deepEqual(family(families, 'gpufleet_nvme_info').samples, [
      { labels: { node: 'gpu-01', device: 'nvme0n1', model: 'SAMSUNG MZQL23T8HCLS-00A07', serial: 'S64HNE0T512345' }, value: 1 },
      { labels: { node: 'gpu-01', device: 'nvme1n1', model: 'Micron_7450_MTFDKCC3T8TFS', serial: '' }, value: 1 },
    ]);
  });

  it('keeps io time monotonic across the 32-bit wrap between collections', async () => {
    let ticks = 2 ** 32 - 500;
    const source = createNvmeSource({
      node: 'n',
      readText: async () => ` 259 0 nvme0n1 1 0 8 1 1 0 8 1 0 ${ticks} 2\n`,
      readDeviceInfo: async () => ({ model: 'm', serial: 's' }),
    });
    const first = await source.collect(new AbortController().signal);
    ticks = 1500;
    const second = await source.collect(new AbortController().signal);
    const io = (c: { families: MetricFamily[] }) => family(c.families, 'gpufleet_nvme_io_time_seconds_total').samples[0]!.value;
    assert.equal(io(first), (2 ** 32 - 500) / 1000);
    assert.equal(io(second), (2 ** 32 + 1500) / 1000);
    assert.equal(io(second) - io(first), 2);
  });

  it('fails with a SourceError naming the path when diskstats cannot be read', async () => {
    const missing = join(dir, 'no-such-file');
    const source = createNvmeSource({ node: 'n', path: missing, sysBlockPath: join(dir, 'block') });
    await assert.rejects(source.collect(new AbortController().signal), (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.ok(error.message.startsWith(`${missing}: cannot read:`), error.message);
      return true;
    });
  });

  it('names the path when an injected reader fails, and recovers on the next collection', async () => {
    let fail = true;
    const source = createNvmeSource({
      node: 'n',
      path: 'simulated://n/diskstats',
      readText: async () => {
        if (fail) throw new Error('boom');
        return ' 259 0 nvme0n1 1 0 8 1 1 0 8 1 0 2 2\n';
      },
      readDeviceInfo: async () => {
        throw new Error('no sysfs');
      },
    });
    await assert.rejects(source.collect(new AbortController().signal), /^SourceError: simulated:\/\/n\/diskstats: cannot read: boom$/);
    fail = false;
    const { families } = await source.collect(new AbortController().signal);
    assert.deepEqual(family(families, 'gpufleet_nvme_info').samples[0]!.labels, { node: 'n', device: 'nvme0n1', model: '', serial: '' });
  });

  it('serves empty families when the node has no NVMe namespace', async () => {
    const source = createNvmeSource({ node: 'n', readText: async () => '   8 0 sda 1 0 8 1 1 0 8 1 0 2 2\n' });
    const { families, problems } = await source.collect(new AbortController().signal);
    assert.deepEqual(problems, []);
    assert.equal(families.length, 6);
    for (const f of families) assert.deepEqual(f.samples, []);
  });

  it('reads model and serial as empty strings when sysfs has nothing', async () => {
    assert.deepEqual(await readSysfsDeviceInfo(join(dir, 'block'), 'nvme9n1'), { model: '', serial: '' });
  });
});
