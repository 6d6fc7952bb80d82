/*
 * The fleet numbers end to end: the simulated e2e fleet (exporter/scenarios/e2e.yaml, whose header
 * computes every expected number by hand) → the exporter's simulate role → a real Prometheus scraping
 * it every second and evaluating alerts/ with time compressed 60× (alerts/fast-rules.sh) → the HTTP
 * query API.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALERTS_DIR, ruleFiles, query, startStack, type Stack } from '../../scripts/stack.js';

let stack: Stack;
let fastDir: string;

before(async () => {
  fastDir = mkdtempSync(join(tmpdir(), 'gpufleet-fast-rules-'));
  execFileSync('bash', [join(ALERTS_DIR, 'fast-rules.sh'), fastDir]);
  stack = await startStack({ scenario: 'e2e', interval: '1s', ruleFiles: ruleFiles(fastDir) });
});

after(async () => {
  await stack?.stop();
  rmSync(fastDir, { recursive: true, force: true });
});

type Vector = Awaited<ReturnType<typeof query>>;

/** Polls until `accept` holds for the expression's result (rules need a few evaluations), then returns it. */
async function eventually(expr: string, accept: (v: Vector) => boolean, timeoutMs = 60_000): Promise<Vector> {
  const deadline = Date.now() + timeoutMs;
  let last: Vector = [];
  while (Date.now() < deadline) {
    last = await query(stack.promUrl, expr);
    if (accept(last)) return last;
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.fail(`${expr} never satisfied the expectation; last result: ${JSON.stringify(last)}`);
}

function scalar(v: Vector): number {
  assert.equal(v.length, 1, `expected one series, got ${JSON.stringify(v)}`);
  return Number(v[0]?.value[1]);
}

const within = (actual: number, expected: number, tolerance = 0.01) => Math.abs(actual - expected) <= Math.abs(expected) * tolerance;

function assertWithin(actual: number, expected: number, what: string, tolerance = 0.01): void {
  assert.ok(within(actual, expected, tolerance), `${what}: ${actual} is not within ${tolerance * 100} % of ${expected}`);
}

test('fleet cost, useful GPUs and cost per useful GPU-hour match the hand-computed scenario', async () => {
  // Until every target has been scraped once the sums are partial, so wait for the value, then hold it.
  const near = (expected: number) => (v: Vector) => v.length === 1 && within(Number(v[0]?.value[1]), expected);
  for (const [expr, expected] of [
    ['fleet:gpufleet_cost:dollars_per_hour', 37.25],
    ['fleet:gpufleet_useful_gpus:sum', 6.84],
    ['fleet:gpufleet_cost_per_useful_gpu_hour:dollars', 37.25 / 6.84],
    ['team:gpufleet_cost_per_useful_gpu_hour:dollars{team="ml"}', 16 / 5.92],
    ['team:gpufleet_cost_per_useful_gpu_hour:dollars{team="research"}', 15.25 / 0.42],
  ] as const) {
    await eventually(expr, near(expected));
  }
  await new Promise((r) => setTimeout(r, 3000));
  assertWithin(scalar(await query(stack.promUrl, 'fleet:gpufleet_cost_per_useful_gpu_hour:dollars')), 37.25 / 6.84, 'fleet $/useful GPU-hour, held');
});

test('idle waste is split into unallocated and allocated_idle', async () => {
  const split = await eventually('fleet:gpufleet_idle_waste:dollars_per_hour', (v) => {
    const kinds = Object.fromEntries(v.map((s) => [s.metric.kind, Number(s.value[1])]));
    return v.length === 2 && within(kinds.unallocated ?? NaN, 10.625) && within(kinds.allocated_idle ?? NaN, 6.0);
  });
  const byKind = Object.fromEntries(split.map((s) => [s.metric.kind, Number(s.value[1])]));
  assertWithin(byKind.unallocated ?? NaN, 10.625, 'unallocated idle $/h');
  assertWithin(byKind.allocated_idle ?? NaN, 6.0, 'allocated-idle $/h');
  const vm = await eventually('node:gpufleet_idle_waste:dollars_per_hour{node="e2e-vm-01"}', (v) => v.length === 2);
  assert.deepEqual(vm.map((s) => [s.metric.kind, Number(s.value[1])]).sort(), [['allocated_idle', 6], ['unallocated', 6]]);
});

test('exactly the injected straggler is flagged, with the injected cause', async () => {
  const flagged = await eventually('node_workload:gpufleet_straggler:flag == 1', (v) => v.length > 0);
  assert.deepEqual(
    flagged.map((s) => ({ node: s.metric.node, workload: s.metric.workload, cause: s.metric.cause })),
    [{ node: 'e2e-train-03', workload: 'pretrain', cause: 'thermal' }],
  );
  const score = await eventually('node_workload:gpufleet_straggler:score{node="e2e-train-03"}', (v) => v.length === 1);
  assert.ok(Math.abs(scalar(score)) > 3.5, `straggler score ${scalar(score)} must pass the threshold`);
  // Staying flagged: no other node joins it over further evaluations.
  await new Promise((r) => setTimeout(r, 5000));
  const again = await query(stack.promUrl, 'node_workload:gpufleet_straggler:flag == 1');
  assert.deepEqual(again.map((s) => s.metric.node), ['e2e-train-03']);
});

test('break-even and monthly saving follow their formulas for every reference offer', async () => {
  const offers = await eventually('gpufleet_reference_gpu_hourly_cost_dollars', (v) => v.length === 3);
  const price = Object.fromEntries(offers.map((o) => [o.metric.offer, Number(o.value[1])]));
  const breakEven = await eventually('node_offer:gpufleet_break_even:ratio{node="e2e-train-01"}', (v) => v.length === 3);
  const saving = await eventually('node_offer:gpufleet_monthly_saving:dollars{node="e2e-train-01"}', (v) => v.length === 3);
  for (const s of breakEven) {
    assertWithin(Number(s.value[1]), 2.0 / (price[s.metric.offer as string] as number), `break-even vs ${s.metric.offer}`);
  }
  for (const s of saving) {
    const offer = price[s.metric.offer as string] as number;
    assertWithin(Number(s.value[1]), (0.8 * offer - 2.0) * 2 * 730, `monthly saving vs ${s.metric.offer}`);
  }
});

test('the expected alerts fire and the others stay quiet', async () => {
  type Alert = { labels: Record<string, string>; state: string };
  const firing = async (): Promise<Alert[]> => {
    const res = (await (await fetch(`${stack.promUrl}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } };
    return res.data.alerts.filter((a) => a.state === 'firing');
  };
  const deadline = Date.now() + 60_000;
  let alerts: Alert[] = [];
  const has = (name: string, node?: string) => alerts.some((a) => a.labels.alertname === name && (node === undefined || a.labels.node === node));
  while (Date.now() < deadline) {
    alerts = await firing();
    if (has('GpuStragglerDetected', 'e2e-train-03') && has('GpuThermalThrottling', 'e2e-train-03')) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.ok(has('GpuStragglerDetected', 'e2e-train-03'), `GpuStragglerDetected not firing: ${JSON.stringify(alerts.map((a) => a.labels))}`);
  assert.ok(has('GpuThermalThrottling', 'e2e-train-03'), 'GpuThermalThrottling not firing for e2e-train-03');
  const straggler = alerts.find((a) => a.labels.alertname === 'GpuStragglerDetected');
  assert.equal(straggler?.labels.cause, 'thermal');
  for (const quiet of ['GpuCriticalXid', 'GpufleetExporterDown', 'GpufleetSourceDown', 'GpufleetSourceStale', 'GpuMissing', 'GpuPowerBrakeThrottling', 'GpuHardwareSlowdown']) {
    assert.ok(!has(quiet), `${quiet} must not fire: ${JSON.stringify(alerts.filter((a) => a.labels.alertname === quiet).map((a) => a.labels))}`);
  }
  assert.ok(!alerts.some((a) => a.labels.alertname === 'GpuStragglerDetected' && a.labels.node !== 'e2e-train-03'), 'only e2e-train-03 straggles');
});
