import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createBillingSource } from './billing-source.js';

const examples = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', 'examples');

describe('the documented example billing files', () => {
  it('price the example fleet without problems', async () => {
    const source = createBillingSource({
      priceBook: join(examples, 'pricebook.yaml'),
      focus: [join(examples, 'focus-sample.csv')],
      now: () => new Date(Date.UTC(2025, 6, 2)),
    });
    const c = await source.collect(new AbortController().signal);
    assert.equal(c.stale, undefined);
    assert.deepEqual(c.problems, []);
    const cost = Object.fromEntries(
      (c.families.find((f) => f.name === 'gpufleet_node_gpu_hourly_cost_dollars')?.samples ?? []).map((s) => [s.labels.node, s.value]),
    );
    assert.deepEqual(Object.keys(cost), ['aws-p5-01', 'dc1-gpu-01', 'dc1-gpu-02', 'gpu-a-01', 'gpu-a-02', 'lambda-h100-01', 'ml-spot-3']);
    // 11520 $ for June (720 h) of 8 GPUs
    assert.equal(cost['lambda-h100-01'], 2);
    // 6 h × (62.4224 instance + 0.1096 volume) / (6 h × 8 GPUs)
    assert.ok(Math.abs((cost['aws-p5-01'] ?? 0) - 375.192 / 48) < 1e-9);
    // 3 h × 2.1288 / (3 h × 4 GPUs)
    assert.ok(Math.abs((cost['ml-spot-3'] ?? 0) - 0.5322) < 1e-9);
    assert.equal(cost['gpu-a-01'], 2.49);
    assert.ok(Math.abs((cost['dc1-gpu-02'] ?? 0) - 1.4546077625570776) < 1e-9);
    const rejected = c.families.find((f) => f.name === 'gpufleet_billing_rows_rejected')?.samples.map((s) => s.value);
    assert.deepEqual(rejected, [0, 0]);
  });
});
