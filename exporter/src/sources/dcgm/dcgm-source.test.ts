import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';

import type { Collection } from '../source.js';
import { SourceError } from '../source.js';
import { createDcgmSource } from './dcgm-source.js';

const TARGET = 'http://127.0.0.1:9400/metrics';
const never = new AbortController().signal;

const gpuLine = (field: string, value: string | number, uuid = 'GPU-aaaa'): string =>
  `${field}{gpu="0",UUID="${uuid}",modelName="NVIDIA L40S",Hostname="dcgm-exporter-abcde"} ${value}\n`;

function source(body: string | (() => string)) {
  return createDcgmSource({
    node: 'node-a',
    target: TARGET,
    fetchText: async () => (typeof body === 'string' ? body : body()),
  });
}

function names(collection: Collection): string[] {
  return collection.families.map((f) => f.name);
}

describe('createDcgmSource', () => {
  it('reads, parses and normalises one collection', async () => {
    const dcgm = source(gpuLine('DCGM_FI_DEV_GPU_UTIL', 50) + gpuLine('DCGM_FI_DEV_POWER_USAGE', 200));
    assert.equal(dcgm.source, 'dcgm');
    assert.equal(dcgm.target, TARGET);
    const collection = await dcgm.collect(never);
    assert.deepEqual(collection.problems, []);
    assert.deepEqual(names(collection), [
      'gpufleet_gpu_info',
      'gpufleet_gpu_utilization_ratio',
      'gpufleet_gpu_useful_ratio',
      'gpufleet_gpu_power_watts',
    ]);
    assert.deepEqual(collection.families[0]?.samples[0]?.labels['node'], 'node-a');
  });

  it('reports malformed lines and dropped values as problems naming target and line, and keeps the rest', async () => {
    const collection = await source(
      gpuLine('DCGM_FI_DEV_GPU_UTIL', 50) +
        'DCGM_FI_DEV_GPU_TEMP{gpu="0" 40\n' +
        gpuLine('DCGM_FI_DEV_GPU_TEMP', '9223372036854775794'),
    ).collect(never);
    assert.deepEqual(collection.problems, [
      `${TARGET}:2: expected "," or "}" after label gpu`,
      `${TARGET}:3: DCGM_FI_DEV_GPU_TEMP 9223372036854776000 is DCGM's "no data" value, dropped`,
    ]);
    assert.ok(names(collection).includes('gpufleet_gpu_utilization_ratio'));
    assert.ok(!names(collection).includes('gpufleet_gpu_temperature_celsius'));
  });

  it('fails when nothing in the body parses (an HTML page is not a node without GPUs)', async () => {
    await assert.rejects(source('<html>\n<body>Bad Gateway</body>\n</html>\n').collect(never), (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.match(error.message, new RegExp(`^${TARGET}: not a Prometheus text exposition \\(${TARGET}:1: `));
      return true;
    });
  });

  it('accepts an empty body as a node with nothing to report', async () => {
    assert.deepEqual(await source('').collect(never), { families: [], problems: [] });
  });

  it('turns a failing fetchText into a SourceError naming the target', async () => {
    const dcgm = createDcgmSource({
      node: 'node-a',
      target: TARGET,
      fetchText: async () => {
        throw new Error('socket hang up');
      },
    });
    await assert.rejects(dcgm.collect(never), (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.equal(error.message, `${TARGET}: socket hang up`);
      return true;
    });
  });

  it('passes the scrape signal to fetchText', async () => {
    let seen: AbortSignal | undefined;
    const dcgm = createDcgmSource({
      node: 'n',
      target: TARGET,
      fetchText: async (signal) => {
        seen = signal;
        return '';
      },
    });
    const controller = new AbortController();
    await dcgm.collect(controller.signal);
    assert.equal(seen, controller.signal);
  });

  it('keeps XID counts between collections of the same source', async () => {
    let xid = 0;
    const dcgm = source(() => gpuLine('DCGM_FI_DEV_XID_ERRORS', xid));
    await dcgm.collect(never);
    xid = 79;
    const collection = await dcgm.collect(never);
    const family = collection.families.find((f) => f.name === 'gpufleet_gpu_xid_errors_total');
    assert.deepEqual(
      family?.samples.map((s) => [s.labels['xid'], s.value]),
      [['79', 1]],
    );
  });

  describe('against a real HTTP server', () => {
    const servers: Server[] = [];
    after(() => {
      for (const server of servers) {
        server.closeAllConnections();
        server.close();
      }
    });
    const serve = async (status: number, body: string): Promise<string> => {
      const server = createServer((_req, res) => res.writeHead(status).end(body));
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    };

    it('collects from a dcgm-exporter URL', async () => {
      const url = await serve(200, gpuLine('DCGM_FI_DEV_GPU_TEMP', 44));
      const collection = await createDcgmSource({ node: 'node-a', target: url }).collect(never);
      assert.deepEqual(names(collection), ['gpufleet_gpu_info', 'gpufleet_gpu_temperature_celsius']);
    });

    it('fails with the URL and status on a non-200 answer', async () => {
      const url = await serve(503, 'unavailable');
      await assert.rejects(createDcgmSource({ node: 'node-a', target: url }).collect(never), {
        name: 'SourceError',
        message: `${url}: HTTP 503 Service Unavailable`,
      });
    });

    it('applies maxBytes', async () => {
      const url = await serve(200, gpuLine('DCGM_FI_DEV_GPU_TEMP', 44).repeat(100));
      await assert.rejects(createDcgmSource({ node: 'node-a', target: url, maxBytes: 1000 }).collect(never), {
        name: 'SourceError',
        message: /exceeds 1000 bytes$/,
      });
    });
  });
});
