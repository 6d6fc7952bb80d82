import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { parseExposition } from '../../exposition/parser.js';
import type { MetricFamily } from '../../exposition/types.js';
import { normaliseDcgm, type NormaliseResult } from './normalise.js';
import { XidState } from './xid-state.js';

const NODE = 'gpu-node-7';
const ORIGIN = 'http://127.0.0.1:9400/metrics';
const MIB = 1048576;

function normalise(text: string, xidState = new XidState()): NormaliseResult {
  const parsed = parseExposition(text, ORIGIN);
  assert.deepEqual(parsed.errors, [], 'test input must parse cleanly');
  return normaliseDcgm({ samples: parsed.samples, node: NODE, origin: ORIGIN, xidState });
}

type Row = [name: string, labels: Record<string, string>, value: number];

/** Every sample as one row, in output order. */
function rows(families: MetricFamily[]): Row[] {
  return families.flatMap((f) => f.samples.map((s): Row => [f.name, { ...s.labels }, s.value]));
}

function valueOf(result: NormaliseResult, name: string, labels: Record<string, string> = {}): number | undefined {
  const matches = rows(result.families).filter(
    ([n, l]) => n === name && Object.entries(labels).every(([k, v]) => l[k] === v),
  );
  assert.ok(matches.length <= 1, `${name} ${JSON.stringify(labels)} matched ${matches.length} series`);
  return matches[0]?.[2];
}

/** The labels every GPU series carries. */
function device(gpu: string, uuid: string, gpuInstance = ''): Record<string, string> {
  return { node: NODE, gpu, uuid, gpu_instance: gpuInstance };
}

/** A dcgm-exporter line with the usual label set. */
function line(field: string, value: string | number, extra = '', uuid = 'GPU-aaaa', gpu = '0'): string {
  return `${field}{gpu="${gpu}",UUID="${uuid}",pci_bus_id="00000000:3B:00.0",device="nvidia${gpu}",modelName="NVIDIA A100-SXM4-80GB",Hostname="dcgm-exporter-x7k2p",DCGM_FI_DRIVER_VERSION="550.54.15"${extra}} ${value}\n`;
}

describe('normaliseDcgm: real captures', () => {
  const fixtureDir = fileURLToPath(new URL('../../../../../shared/fixtures/dcgm/', import.meta.url));
  const fixture = (file: string): string => {
    const path = fixtureDir + file;
    assert.ok(existsSync(path), `fixture missing: ${path} (the shared dcgm captures must sit beside the checkout)`);
    return readFileSync(path, 'utf8');
  };

  it('t4-2x-datadog.prom: a whole 2.x/3.x scrape of one Tesla T4', () => {
    const result = normalise(fixture('t4-2x-datadog.prom'));
    const t4 = device('0', 'GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(rows(result.families), [
      [
        'gpufleet_gpu_info',
        {
          node: NODE,
          gpu: '0',
          uuid: 'GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e',
          model: 'Tesla T4',
          pci_bus_id: '',
          driver_version: '460.106.00',
          gpu_instance: '',
          gpu_instance_profile: '',
        },
        1,
      ],
      ['gpufleet_gpu_utilization_ratio', t4, 0],
      ['gpufleet_gpu_useful_ratio', { ...t4, basis: 'utilization' }, 0],
      ['gpufleet_gpu_memory_used_bytes', t4, 0],
      ['gpufleet_gpu_memory_free_bytes', t4, 15109 * MIB],
      ['gpufleet_gpu_power_watts', t4, 8.969],
      ['gpufleet_gpu_energy_joules_total', t4, 128996.013],
      ['gpufleet_gpu_temperature_celsius', t4, 25],
      ['gpufleet_gpu_sm_clock_hertz', t4, 300_000_000],
      ['gpufleet_gpu_nvlink_bytes_per_second', t4, 0],
    ]);
    const energy = result.families.find((f) => f.name === 'gpufleet_gpu_energy_joules_total');
    assert.equal(energy?.type, 'counter');
  });

  it('h100-mig-pods-4x.prom: three MIG instances, two attributed to pods', () => {
    const result = normalise(fixture('h100-mig-pods-4x.prom'));
    const uuid = 'GPU-58e8f5ea-13cc-013a-d88f-2bcf5ae8bc77';
    const info = (instance: string): Row => [
      'gpufleet_gpu_info',
      {
        node: NODE,
        gpu: '0',
        uuid,
        model: 'NVIDIA H100 80GB HBM3',
        pci_bus_id: '00000000:1A:00.0',
        driver_version: '535.129.03',
        gpu_instance: instance,
        gpu_instance_profile: '1g.10gb',
      },
      1,
    ];
    const workload = (instance: string, pod: string): Row => [
      'gpufleet_gpu_workload_info',
      {
        node: NODE,
        uuid,
        gpu_instance: instance,
        namespace: 'model-playground-stg',
        pod,
        container: 'kserve-container',
        hpc_job: '',
      },
      1,
    ];
    assert.deepEqual(result.problems, []);
    assert.deepEqual(rows(result.families), [
      info('7'),
      info('8'),
      info('9'),
      workload('7', 'text-embedding-predictor-00008-deployment-57946f6c67-vdtjl'),
      workload('9', 'tts-predictor-00011-deployment-5554f75554-8j8pl'),
      ['gpufleet_gpu_graphics_active_ratio', device('0', uuid, '7'), 0],
      ['gpufleet_gpu_graphics_active_ratio', device('0', uuid, '8'), 0],
      ['gpufleet_gpu_graphics_active_ratio', device('0', uuid, '9'), 0],
      ['gpufleet_gpu_useful_ratio', { ...device('0', uuid, '7'), basis: 'graphics_active' }, 0],
      ['gpufleet_gpu_useful_ratio', { ...device('0', uuid, '8'), basis: 'graphics_active' }, 0],
      ['gpufleet_gpu_useful_ratio', { ...device('0', uuid, '9'), basis: 'graphics_active' }, 0],
    ]);
  });

  it('rtx3090-xid-labels.prom: XID series with err_code/err_msg labels, pci_bus_id', () => {
    const result = normalise(fixture('rtx3090-xid-labels.prom'));
    const uuid = 'GPU-96be9fff-fdfd-9b87-88d4-fe5b9a012148';
    assert.deepEqual(result.problems, []);
    assert.deepEqual(rows(result.families), [
      [
        'gpufleet_gpu_info',
        {
          node: NODE,
          gpu: '0',
          uuid,
          model: 'NVIDIA GeForce RTX 3090',
          pci_bus_id: '00000000:08:00.0',
          driver_version: '',
          gpu_instance: '',
          gpu_instance_profile: '',
        },
        1,
      ],
      // XID 0 is the first value seen: a baseline, so no counter series yet.
      ['gpufleet_gpu_memory_free_bytes', device('0', uuid), 24268 * MIB],
    ]);
  });

  it('mixed-models-lowercase-hostname-4.8.3.prom: two models, lowercase hostname ignored, A30 MIG with a pod', () => {
    const result = normalise(fixture('mixed-models-lowercase-hostname-4.8.3.prom'));
    const ada = 'GPU-fc60126e-514d-3522-2828-c5daa8e99d85';
    const a30 = 'GPU-63bc0b91-2265-1b94-831c-15c41fe92675';
    assert.deepEqual(result.problems, []);
    assert.deepEqual(rows(result.families), [
      [
        'gpufleet_gpu_info',
        {
          node: NODE,
          gpu: '1',
          uuid: ada,
          model: 'NVIDIA RTX 2000 Ada Generation',
          pci_bus_id: '00000000:B1:00.0',
          driver_version: '',
          gpu_instance: '',
          gpu_instance_profile: '',
        },
        1,
      ],
      [
        'gpufleet_gpu_info',
        {
          node: NODE,
          gpu: '2',
          uuid: a30,
          model: 'NVIDIA A30',
          pci_bus_id: '00000000:CA:00.0',
          driver_version: '',
          gpu_instance: '3',
          gpu_instance_profile: '1g.6gb',
        },
        1,
      ],
      [
        'gpufleet_gpu_workload_info',
        {
          node: NODE,
          uuid: a30,
          gpu_instance: '3',
          namespace: 'default',
          pod: 'triton-server-f7cb5d77-95xcf',
          container: 'triton-server',
          hpc_job: '',
        },
        1,
      ],
      ['gpufleet_gpu_memory_free_bytes', device('1', ada), 11275 * MIB],
      ['gpufleet_gpu_memory_free_bytes', device('2', a30, '3'), 2207 * MIB],
    ]);
  });

  it('server-test-empty-help.prom: a non-DCGM metric yields nothing', () => {
    const result = normalise(fixture('server-test-empty-help.prom'));
    assert.deepEqual(result, { families: [], problems: [] });
  });

  it('sentinel-no-data.prom: the GPU is known, its sentinel (an unread field) is not a number anywhere', () => {
    const result = normalise(fixture('sentinel-no-data.prom'));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(rows(result.families), [
      [
        'gpufleet_gpu_info',
        {
          node: NODE,
          gpu: '0',
          uuid: 'GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52',
          model: '',
          pci_bus_id: '',
          driver_version: '',
          gpu_instance: '',
          gpu_instance_profile: '',
        },
        1,
      ],
    ]);
  });
});

describe('normaliseDcgm: dcgm-exporter 4.9 names and units', () => {
  const oldStyle =
    line('DCGM_FI_DEV_GPU_UTIL', 37) +
    line('DCGM_FI_PROF_GR_ENGINE_ACTIVE', '0.512345') +
    line('DCGM_FI_PROF_SM_ACTIVE', '0.41') +
    line('DCGM_FI_PROF_SM_OCCUPANCY', '0.2') +
    line('DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', '0.125') +
    line('DCGM_FI_PROF_DRAM_ACTIVE', '0.3') +
    line('DCGM_FI_DEV_FB_USED', 40960) +
    line('DCGM_FI_DEV_FB_FREE', 40000) +
    line('DCGM_FI_DEV_POWER_USAGE', '312.5') +
    line('DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 123456789) +
    line('DCGM_FI_DEV_GPU_TEMP', 61) +
    line('DCGM_FI_DEV_SM_CLOCK', 1410) +
    line('DCGM_FI_DEV_CLOCK_THROTTLE_REASONS', 68) +
    line('DCGM_FI_DEV_XID_ERRORS', 0) +
    line('DCGM_FI_PROF_PCIE_TX_BYTES', 123456) +
    line('DCGM_FI_PROF_PCIE_RX_BYTES', 654321) +
    line('DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL', 12);

  // What 4.9.0 writes for the same readings: DCGM 4.7 names, base units, the new driver label.
  const newLine = (field: string, value: string | number): string =>
    `${field}{gpu="0",UUID="GPU-aaaa",pci_bus_id="00000000:3B:00.0",device="nvidia0",modelName="NVIDIA A100-SXM4-80GB",hostname="dcgm-exporter-x7k2p",DCGM_FI_SYSTEM_DRIVER_VERSION="550.54.15"} ${value}\n`;
  const newStyle =
    '# HELP DCGM_FI_DEV_SM_CLOCK_HERTZ SM clock frequency (in Hz).\n# TYPE DCGM_FI_DEV_SM_CLOCK_HERTZ gauge\n' +
    newLine('DCGM_FI_DEV_GPU_UTIL_RATIO', '0.37') +
    newLine('DCGM_FI_PROF_GR_ENGINE_UTIL_RATIO', '0.512345') +
    newLine('DCGM_FI_PROF_SM_UTIL_RATIO', '0.41') +
    newLine('DCGM_FI_PROF_SM_OCCUPANCY_RATIO', '0.2') +
    newLine('DCGM_FI_PROF_TENSOR_UTIL_RATIO', '0.125') +
    newLine('DCGM_FI_PROF_DRAM_UTIL_RATIO', '0.3') +
    newLine('DCGM_FI_DEV_FB_USED_BYTES', 40960 * MIB) +
    newLine('DCGM_FI_DEV_FB_FREE_BYTES', 40000 * MIB) +
    newLine('DCGM_FI_DEV_FB_CAPACITY_BYTES', 80960 * MIB) +
    newLine('DCGM_FI_DEV_BOARD_POWER_WATTS', '312.5') +
    newLine('DCGM_FI_DEV_GPU_ENERGY_JOULES_TOTAL', '123456.789') +
    newLine('DCGM_FI_DEV_GPU_TEMP_CELSIUS', 61) +
    newLine('DCGM_FI_DEV_SM_CLOCK_HERTZ', 1410000000) +
    newLine('DCGM_FI_DEV_CLOCKS_EVENT_REASONS', 68) +
    newLine('DCGM_FI_DEV_XID_ERROR', 0) +
    newLine('DCGM_FI_PROF_PCIE_TX_BYTES', 123456) +
    newLine('DCGM_FI_PROF_PCIE_RX_BYTES', 654321) +
    newLine('DCGM_FI_DEV_NVLINK_THROUGHPUT_TOTAL', 12000000);

  it('produces exactly the contract values of the old names', () => {
    const before = normalise(oldStyle);
    const after = normalise(newStyle);
    assert.deepEqual(before.problems, []);
    assert.deepEqual(after.problems, []);
    assert.deepEqual(rows(after.families), rows(before.families));
  });

  it('converts every unit to the base unit', () => {
    const result = normalise(oldStyle);
    const gpu = device('0', 'GPU-aaaa');
    const expected: Array<[string, number]> = [
      ['gpufleet_gpu_utilization_ratio', 0.37],
      ['gpufleet_gpu_graphics_active_ratio', 0.512345],
      ['gpufleet_gpu_sm_active_ratio', 0.41],
      ['gpufleet_gpu_sm_occupancy_ratio', 0.2],
      ['gpufleet_gpu_tensor_active_ratio', 0.125],
      ['gpufleet_gpu_dram_active_ratio', 0.3],
      ['gpufleet_gpu_memory_used_bytes', 42949672960],
      ['gpufleet_gpu_memory_free_bytes', 41943040000],
      ['gpufleet_gpu_power_watts', 312.5],
      ['gpufleet_gpu_energy_joules_total', 123456.789],
      ['gpufleet_gpu_temperature_celsius', 61],
      ['gpufleet_gpu_sm_clock_hertz', 1.41e9],
      ['gpufleet_gpu_pcie_transmit_bytes_per_second', 123456],
      ['gpufleet_gpu_pcie_receive_bytes_per_second', 654321],
      ['gpufleet_gpu_nvlink_bytes_per_second', 12e6],
    ];
    for (const [name, value] of expected) assert.equal(valueOf(result, name, gpu), value, name);
    assert.equal(valueOf(result, 'gpufleet_gpu_useful_ratio', { basis: 'sm_active' }), 0.41);
    assert.equal(valueOf(result, 'gpufleet_gpu_info', { driver_version: '550.54.15' }), 1);
  });

  it('prefers the new name when a custom counter set exports both', () => {
    const result = normalise(line('DCGM_FI_DEV_FB_USED', 1) + line('DCGM_FI_DEV_FB_USED_BYTES', 1048577));
    assert.deepEqual(result.problems, []);
    assert.equal(valueOf(result, 'gpufleet_gpu_memory_used_bytes'), 1048577);
  });
});

describe('normaliseDcgm: devices, workloads, identity', () => {
  it('takes the node from configuration, never from Hostname/hostname', () => {
    const result = normalise(line('DCGM_FI_DEV_GPU_TEMP', 40));
    for (const [, labels] of rows(result.families)) {
      assert.equal(labels['node'], NODE);
      assert.ok(!('Hostname' in labels) && !('hostname' in labels));
    }
  });

  it('emits device series once for pods sharing a GPU, and one workload_info per pod', () => {
    const podA = ',container="trainer",namespace="ml",pod="train-a"';
    const podB = ',container="trainer",namespace="ml",pod="train-b"';
    const result = normalise(
      line('DCGM_FI_DEV_GPU_UTIL', 80, podA) +
        line('DCGM_FI_DEV_GPU_UTIL', 80, podB) +
        line('DCGM_FI_DEV_POWER_USAGE', 250, podA) +
        line('DCGM_FI_DEV_POWER_USAGE', 250, podB),
    );
    assert.deepEqual(result.problems, []);
    const gpu = device('0', 'GPU-aaaa');
    assert.deepEqual(rows(result.families).slice(1), [
      [
        'gpufleet_gpu_workload_info',
        {
          node: NODE,
          uuid: 'GPU-aaaa',
          gpu_instance: '',
          namespace: 'ml',
          pod: 'train-a',
          container: 'trainer',
          hpc_job: '',
        },
        1,
      ],
      [
        'gpufleet_gpu_workload_info',
        {
          node: NODE,
          uuid: 'GPU-aaaa',
          gpu_instance: '',
          namespace: 'ml',
          pod: 'train-b',
          container: 'trainer',
          hpc_job: '',
        },
        1,
      ],
      ['gpufleet_gpu_utilization_ratio', gpu, 0.8],
      ['gpufleet_gpu_useful_ratio', { ...gpu, basis: 'utilization' }, 0.8],
      ['gpufleet_gpu_power_watts', gpu, 250],
    ]);
  });

  it('attributes HPC jobs and ignores empty pod labels', () => {
    const result = normalise(
      line('DCGM_FI_DEV_GPU_TEMP', 40, ',hpc_job="4242"', 'GPU-aaaa', '0') +
        line('DCGM_FI_DEV_GPU_TEMP', 41, ',container="",namespace="",pod=""', 'GPU-bbbb', '1'),
    );
    const workloads = rows(result.families).filter(([name]) => name === 'gpufleet_gpu_workload_info');
    assert.deepEqual(workloads, [
      [
        'gpufleet_gpu_workload_info',
        { node: NODE, uuid: 'GPU-aaaa', gpu_instance: '', namespace: '', pod: '', container: '', hpc_job: '4242' },
        1,
      ],
    ]);
  });

  it('keeps GPU-level and MIG-instance series of one GPU apart', () => {
    const mig = (id: string) => `,GPU_I_PROFILE="3g.40gb",GPU_I_ID="${id}"`;
    const result = normalise(
      line('DCGM_FI_DEV_POWER_USAGE', 300) +
        line('DCGM_FI_PROF_GR_ENGINE_ACTIVE', '0.9', mig('1')) +
        line('DCGM_FI_PROF_GR_ENGINE_ACTIVE', '0.1', mig('2')) +
        line('DCGM_FI_DEV_FB_USED', 100, mig('1')),
    );
    assert.deepEqual(result.problems, []);
    const info = rows(result.families).filter(([name]) => name === 'gpufleet_gpu_info');
    assert.deepEqual(
      info.map(([, l]) => [l['gpu_instance'], l['gpu_instance_profile']]),
      [
        ['', ''],
        ['1', '3g.40gb'],
        ['2', '3g.40gb'],
      ],
    );
    assert.equal(valueOf(result, 'gpufleet_gpu_power_watts', { gpu_instance: '' }), 300);
    assert.equal(valueOf(result, 'gpufleet_gpu_power_watts', { gpu_instance: '1' }), undefined);
    assert.equal(valueOf(result, 'gpufleet_gpu_useful_ratio', { gpu_instance: '1', basis: 'graphics_active' }), 0.9);
    assert.equal(valueOf(result, 'gpufleet_gpu_useful_ratio', { gpu_instance: '2', basis: 'graphics_active' }), 0.1);
    assert.equal(valueOf(result, 'gpufleet_gpu_useful_ratio', { gpu_instance: '' }), undefined);
    assert.equal(valueOf(result, 'gpufleet_gpu_memory_used_bytes', { gpu_instance: '1' }), 100 * MIB);
  });

  it('fills identity from later series and reports a contradiction once, keeping the first', () => {
    const text =
      'DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-aaaa"} 40\n' +
      line('DCGM_FI_DEV_POWER_USAGE', 100) +
      line('DCGM_FI_DEV_GPU_UTIL', 5).replace('NVIDIA A100-SXM4-80GB', 'Other') +
      line('DCGM_FI_DEV_SM_CLOCK', 5).replace('NVIDIA A100-SXM4-80GB', 'Other');
    const result = normalise(text);
    assert.deepEqual(result.problems, [
      `${ORIGIN}:3: identity labels of GPU GPU-aaaa differ from an earlier series; the first ones are kept`,
    ]);
    assert.equal(
      valueOf(result, 'gpufleet_gpu_info', { model: 'NVIDIA A100-SXM4-80GB', pci_bus_id: '00000000:3B:00.0' }),
      1,
    );
  });

  it('reports a read field without UUID and ignores unread fields silently', () => {
    const result = normalise(
      'DCGM_FI_DEV_GPU_TEMP{gpu="0"} 40\nDCGM_FI_DEV_MEM_CLOCK{gpu="0"} 5\nDCGM_FI_DEV_NVSWITCH_TEMPERATURE{nvswitch="0"} 5\n',
    );
    assert.deepEqual(result, {
      families: [],
      problems: [`${ORIGIN}:1: DCGM_FI_DEV_GPU_TEMP has no UUID label, ignored`],
    });
  });
});

describe('normaliseDcgm: values that must not be exported', () => {
  it('drops DCGM "no data" sentinels and names the line', () => {
    const result = normalise(
      line('DCGM_FI_DEV_GPU_TEMP', '9223372036854775794') +
        line('DCGM_FI_DEV_SM_CLOCK', 2147483632) +
        line('DCGM_FI_DEV_FB_USED', 2147483647) +
        line('DCGM_FI_DEV_POWER_USAGE', '140737488355328.000000') +
        line('DCGM_FI_DEV_XID_ERRORS', '9223372036854775792') +
        line('DCGM_FI_DEV_FB_FREE', 1000),
    );
    assert.deepEqual(result.problems, [
      `${ORIGIN}:1: DCGM_FI_DEV_GPU_TEMP 9223372036854776000 is DCGM's "no data" value, dropped`,
      `${ORIGIN}:2: DCGM_FI_DEV_SM_CLOCK 2147483632 is DCGM's "no data" value, dropped`,
      `${ORIGIN}:3: DCGM_FI_DEV_FB_USED 2147483647 is DCGM's "no data" value, dropped`,
      `${ORIGIN}:4: DCGM_FI_DEV_POWER_USAGE 140737488355328 is DCGM's "no data" value, dropped`,
      `${ORIGIN}:5: DCGM_FI_DEV_XID_ERRORS 9223372036854776000 is DCGM's "no data" value, dropped`,
    ]);
    assert.deepEqual(
      rows(result.families).map(([name]) => name),
      ['gpufleet_gpu_info', 'gpufleet_gpu_memory_free_bytes'],
    );
  });

  it('drops NaN and infinities', () => {
    const result = normalise(line('DCGM_FI_DEV_GPU_TEMP', 'NaN') + line('DCGM_FI_DEV_POWER_USAGE', '+Inf'));
    assert.deepEqual(result.problems, [
      `${ORIGIN}:1: DCGM_FI_DEV_GPU_TEMP is NaN, dropped`,
      `${ORIGIN}:2: DCGM_FI_DEV_POWER_USAGE Infinity is not a finite number, dropped`,
    ]);
    assert.equal(result.families.length, 1);
  });

  it('rejects percentages above 100 and ratios above 1 instead of clamping them', () => {
    const result = normalise(
      line('DCGM_FI_DEV_GPU_UTIL', 101) +
        line('DCGM_FI_PROF_SM_ACTIVE', '1.2') +
        line('DCGM_FI_PROF_GR_ENGINE_ACTIVE', '0.7'),
    );
    assert.deepEqual(result.problems, [
      `${ORIGIN}:1: DCGM_FI_DEV_GPU_UTIL 101 (%) is outside 0–1 as a ratio, dropped`,
      `${ORIGIN}:2: DCGM_FI_PROF_SM_ACTIVE 1.2 (ratio) is outside 0–1 as a ratio, dropped`,
    ]);
    assert.equal(valueOf(result, 'gpufleet_gpu_utilization_ratio'), undefined);
    assert.equal(valueOf(result, 'gpufleet_gpu_sm_active_ratio'), undefined);
    // useful_ratio falls back to the best basis that survived.
    assert.equal(valueOf(result, 'gpufleet_gpu_useful_ratio', { basis: 'graphics_active' }), 0.7);
  });

  it('rejects negative quantities and non-integer bitmasks', () => {
    const result = normalise(line('DCGM_FI_DEV_FB_USED', -1) + line('DCGM_FI_DEV_CLOCK_THROTTLE_REASONS', '4.5'));
    assert.deepEqual(result.problems, [
      `${ORIGIN}:1: DCGM_FI_DEV_FB_USED -1 (MiB) is negative, dropped`,
      `${ORIGIN}:2: DCGM_FI_DEV_CLOCK_THROTTLE_REASONS 4.5 (bitmask) is not a non-negative integer, dropped`,
    ]);
  });

  it('drops both values of a contradicting duplicate, deterministically', () => {
    const text =
      line('DCGM_FI_DEV_POWER_USAGE', 100, ',pod="a"') +
      line('DCGM_FI_DEV_POWER_USAGE', 200, ',pod="b"') +
      line('DCGM_FI_DEV_POWER_USAGE', 300, ',pod="c"');
    const result = normalise(text);
    assert.deepEqual(result.problems, [
      `${ORIGIN}:2: DCGM_FI_DEV_POWER_USAGE for GPU GPU-aaaa contradicts line 1 (200 vs 100 in base units); both dropped`,
    ]);
    assert.equal(valueOf(result, 'gpufleet_gpu_power_watts'), undefined);
    assert.deepEqual(normalise(text), result);
  });
});

describe('normaliseDcgm: clock-event reasons', () => {
  it('decodes every known reason to 0 or 1', () => {
    const result = normalise(line('DCGM_FI_DEV_CLOCK_THROTTLE_REASONS', 0x44 + 0x1000));
    const throttled = rows(result.families)
      .filter(([name]) => name === 'gpufleet_gpu_throttled')
      .map(([, labels, value]) => [labels['reason'], value]);
    assert.deepEqual(throttled, [
      ['gpu_idle', 0],
      ['applications_clocks', 0],
      ['sw_power_cap', 1],
      ['hw_slowdown', 0],
      ['sync_boost', 0],
      ['sw_thermal', 0],
      ['hw_thermal', 1],
      ['hw_power_brake', 0],
      ['display_clocks', 0],
    ]);
  });

  it('decodes a mask above 32 bits without overflow', () => {
    const result = normalise(line('DCGM_FI_DEV_CLOCKS_EVENT_REASONS', 2 ** 40 + 0x88));
    assert.equal(valueOf(result, 'gpufleet_gpu_throttled', { reason: 'hw_slowdown' }), 1);
    assert.equal(valueOf(result, 'gpufleet_gpu_throttled', { reason: 'hw_power_brake' }), 1);
    assert.equal(valueOf(result, 'gpufleet_gpu_throttled', { reason: 'sw_power_cap' }), 0);
  });
});

describe('normaliseDcgm: XID counter', () => {
  const xidAt = (code: number, uuid = 'GPU-aaaa'): string =>
    line('DCGM_FI_DEV_XID_ERRORS', code, `,err_code="${code}",err_msg="whatever"`, uuid);
  const counts = (result: NormaliseResult): Array<[string | undefined, string | undefined, number]> =>
    rows(result.families)
      .filter(([name]) => name === 'gpufleet_gpu_xid_errors_total')
      .map(([, labels, value]) => [labels['uuid'], labels['xid'], value]);

  it('counts changes of the last-XID value across collections', () => {
    const state = new XidState();
    assert.deepEqual(counts(normalise(xidAt(0), state)), []); // baseline
    assert.deepEqual(counts(normalise(xidAt(79), state)), [['GPU-aaaa', '79', 1]]);
    assert.deepEqual(counts(normalise(xidAt(79), state)), [['GPU-aaaa', '79', 1]]); // same event, still visible
    assert.deepEqual(counts(normalise(xidAt(13), state)), [
      ['GPU-aaaa', '13', 1],
      ['GPU-aaaa', '79', 1],
    ]);
    assert.deepEqual(counts(normalise(xidAt(79), state)), [
      ['GPU-aaaa', '13', 1],
      ['GPU-aaaa', '79', 2],
    ]);
    assert.deepEqual(counts(normalise(xidAt(0), state)), [
      ['GPU-aaaa', '13', 1],
      ['GPU-aaaa', '79', 2],
    ]); // driver reload: no event
    const family = normalise(xidAt(0), state).families.find((f) => f.name === 'gpufleet_gpu_xid_errors_total');
    assert.equal(family?.type, 'counter');
  });

  it('does not count an old XID seen at the first collection', () => {
    const state = new XidState();
    assert.deepEqual(counts(normalise(xidAt(48), state)), []);
    assert.deepEqual(counts(normalise(xidAt(48), state)), []);
  });

  it('forgets a GPU that vanished and starts it again from a baseline', () => {
    const state = new XidState();
    normalise(xidAt(0, 'GPU-aaaa') + xidAt(0, 'GPU-bbbb'), state);
    normalise(xidAt(31, 'GPU-aaaa') + xidAt(43, 'GPU-bbbb'), state);
    assert.equal(state.size, 2);

    const without = normalise(xidAt(31, 'GPU-aaaa'), state);
    assert.deepEqual(counts(without), [['GPU-aaaa', '31', 1]]);
    assert.equal(state.size, 1);
    assert.equal(valueOf(without, 'gpufleet_gpu_info', { uuid: 'GPU-bbbb' }), undefined);

    const back = normalise(xidAt(31, 'GPU-aaaa') + xidAt(43, 'GPU-bbbb'), state);
    assert.deepEqual(counts(back), [['GPU-aaaa', '31', 1]]);
  });

  it('keeps counting while the GPU stays but its XID field skips a collection', () => {
    const state = new XidState();
    normalise(xidAt(0), state);
    normalise(xidAt(31), state);
    const skipped = normalise(line('DCGM_FI_DEV_GPU_TEMP', 50), state);
    assert.deepEqual(counts(skipped), []); // no value read: no series, but the count is kept
    assert.deepEqual(counts(normalise(xidAt(31), state)), [['GPU-aaaa', '31', 1]]);
  });

  it("prefers dcgm-exporter's cumulative DCGM_EXP_XID_ERRORS_TOTAL and ignores the windowed _COUNT", () => {
    const state = new XidState();
    const text =
      xidAt(79) +
      line('DCGM_EXP_XID_ERRORS_TOTAL', 3, ',xid="79"') +
      line('DCGM_EXP_XID_ERRORS_TOTAL', 1, ',xid="13"') +
      line('DCGM_EXP_XID_ERRORS_COUNT', 2, ',xid="79",window_size_in_ms="300000"');
    assert.deepEqual(counts(normalise(text, state)), [
      ['GPU-aaaa', '13', 1],
      ['GPU-aaaa', '79', 3],
    ]);
    const bad = normalise(line('DCGM_EXP_XID_ERRORS_TOTAL', 3, ',xid="oops"'), state);
    assert.deepEqual(bad.problems, [`${ORIGIN}:1: DCGM_EXP_XID_ERRORS_TOTAL has no numeric xid label, ignored`]);
  });

  it('takes a zero DCGM_EXP_XID_ERRORS_TOTAL without xid label as "none yet", replacing the derived count', () => {
    const state = new XidState();
    normalise(xidAt(0), state);
    const result = normalise(xidAt(79) + line('DCGM_EXP_XID_ERRORS_TOTAL', 0), state);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(counts(result), []);
  });
});

describe('normaliseDcgm: cost', () => {
  it('normalises an 8-GPU node with ~40 fields in well under 1 ms', () => {
    const fields = [
      ['DCGM_FI_DEV_SM_CLOCK', 1410],
      ['DCGM_FI_DEV_MEM_CLOCK', 1593],
      ['DCGM_FI_DEV_MEMORY_TEMP', 45],
      ['DCGM_FI_DEV_GPU_TEMP', 61],
      ['DCGM_FI_DEV_POWER_USAGE', 312.5],
      ['DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 123456789],
      ['DCGM_FI_DEV_PCIE_REPLAY_COUNTER', 0],
      ['DCGM_FI_DEV_GPU_UTIL', 97],
      ['DCGM_FI_DEV_MEM_COPY_UTIL', 40],
      ['DCGM_FI_DEV_ENC_UTIL', 0],
      ['DCGM_FI_DEV_DEC_UTIL', 0],
      ['DCGM_FI_DEV_XID_ERRORS', 0],
      ['DCGM_FI_DEV_FB_FREE', 40000],
      ['DCGM_FI_DEV_FB_USED', 40960],
      ['DCGM_FI_DEV_FB_RESERVED', 512],
      ['DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL', 12],
      ['DCGM_FI_DEV_VGPU_LICENSE_STATUS', 0],
      ['DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', 0],
      ['DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS', 0],
      ['DCGM_FI_DEV_ROW_REMAP_FAILURE', 0],
      ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', 0.9],
      ['DCGM_FI_PROF_SM_ACTIVE', 0.8],
      ['DCGM_FI_PROF_SM_OCCUPANCY', 0.4],
      ['DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', 0.5],
      ['DCGM_FI_PROF_DRAM_ACTIVE', 0.6],
      ['DCGM_FI_PROF_PIPE_FP64_ACTIVE', 0],
      ['DCGM_FI_PROF_PIPE_FP32_ACTIVE', 0.1],
      ['DCGM_FI_PROF_PIPE_FP16_ACTIVE', 0.2],
      ['DCGM_FI_PROF_PCIE_TX_BYTES', 1e9],
      ['DCGM_FI_PROF_PCIE_RX_BYTES', 2e9],
      ['DCGM_FI_PROF_NVLINK_TX_BYTES', 3e9],
      ['DCGM_FI_PROF_NVLINK_RX_BYTES', 3e9],
      ['DCGM_FI_DEV_CLOCK_THROTTLE_REASONS', 4],
      ['DCGM_FI_DEV_POWER_VIOLATION', 0],
      ['DCGM_FI_DEV_THERMAL_VIOLATION', 0],
      ['DCGM_FI_DEV_ECC_SBE_VOL_TOTAL', 0],
      ['DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', 0],
      ['DCGM_FI_DEV_RETIRED_SBE', 0],
      ['DCGM_FI_DEV_RETIRED_DBE', 0],
      ['DCGM_FI_DEV_PCIE_LINK_GEN', 4],
    ] as const;
    let text = '';
    for (let gpu = 0; gpu < 8; gpu++) {
      for (const [field, value] of fields)
        text += line(field, value, ',container="c",namespace="ns",pod="p"', `GPU-${gpu}000`, String(gpu));
    }
    const samples = parseExposition(text, ORIGIN).samples;
    assert.equal(samples.length, 320);
    const state = new XidState();
    for (let i = 0; i < 200; i++) normaliseDcgm({ samples, node: NODE, origin: ORIGIN, xidState: state }); // warm up
    const runs = 2000;
    const started = performance.now();
    for (let i = 0; i < runs; i++) normaliseDcgm({ samples, node: NODE, origin: ORIGIN, xidState: state });
    const perRunMs = (performance.now() - started) / runs;
    console.log(`# normalise: ${(perRunMs * 1000).toFixed(0)} µs per 8-GPU scrape of 320 samples`);
    assert.ok(perRunMs < 0.5, `normalise took ${perRunMs.toFixed(3)} ms per 8-GPU scrape`);
  });
});
