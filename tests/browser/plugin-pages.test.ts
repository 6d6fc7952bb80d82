/*
 * The built plugin's pages in headless Chromium against the simulated e2e fleet
 * (exporter/scenarios/e2e.yaml, whose header gives every expected number), through the preview host.
 * Screenshots of every page go to $GPUFLEET_TEST_SHOTS (default: <tmpdir>/gpufleet-browser-test-shots)
 * for looking at a failure; the README's screenshots of the default fleet come from screenshots.ts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { testIds } from '../../grafana-plugin/src/components/testIds.js';
import { query } from '../../scripts/stack.js';
import { APP, startPreviewFixture, TEST_SHOT_DIR, type PreviewFixture } from './previewFixture.js';

let fx: PreviewFixture;
const RANGE = 'from=now-15m&to=now';

before(async () => {
  fx = await startPreviewFixture({
    waitFor: [
      'fleet:gpufleet_gpus:count',
      'fleet:gpufleet_idle_waste:dollars_per_hour{kind="allocated_idle"} > 0',
      'node_workload:gpufleet_straggler:flag == 1',
      'model_infra:gpufleet_useful:median',
      'fleet_offer:gpufleet_break_even:ratio',
      // What the range-based numbers integrate: at least one 15 s step of recorded cost and usefulness.
      'sum_over_time(fleet:gpufleet_useful_gpus:sum[900s:15s])',
      'sum_over_time(team:gpufleet_useful_gpus:sum[900s:15s])',
      // Three 15 s grid points of history, so every chart's range query (15 s steps) has two or more points.
      'count_over_time(fleet:gpufleet_useful_gpus:sum[60s:15s]) >= 3',
    ],
  });
  fx.page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
});

after(async () => {
  await fx?.stop();
});

async function open(page: Page, path: string, ready: string): Promise<void> {
  await page.goto(`${fx.preview.url}${APP}/${path}`);
  await page.getByTestId(ready).waitFor({ timeout: 30_000 });
}

async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).first().textContent()) ?? '';
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(TEST_SHOT_DIR, `${name}.png`), fullPage: true });
}

test('Overview: fleet spend, cost per useful GPU-hour, idle waste split, stragglers, offers', async () => {
  const { page } = fx;
  await open(page, `overview?${RANGE}`, testIds.overview.spendRate);
  assert.match(await text(page, testIds.overview.spendRate), /\$37\.25\/h/);
  assert.match(await text(page, testIds.overview.spendRate), /14 paid GPUs/);
  assert.match(await text(page, testIds.overview.usefulRatio), /48\.9 %/); // 6.84 / 14
  const idle = await text(page, testIds.overview.idleWaste);
  assert.match(idle, /\$16\.63\/h/); // 10.625 unallocated + 6.00 allocated idle
  assert.match(idle, /unallocated \$10\.63\/h/);
  assert.match(await text(page, testIds.overview.stragglers), /1/);
  assert.match(await text(page, testIds.overview.costPerUseful), /\$5\.\d\d/); // 37.25 / 6.84 = 5.45 once the range is full
  const offers = await text(page, testIds.overview.offers);
  assert.match(offers, /NVIDIA H100 80GB HBM3/);
  assert.match(await text(page, testIds.overview.topNodes), /e2e-vm-01/);
  // The useful-ratio trend draws a line: a young fleet has points every 15 s, not one per 30 s.
  const trend = await page.getByTestId(testIds.overview.trend).locator('path').evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''));
  assert.ok(trend.some((d) => d.includes('L')), `no line in the trend: ${JSON.stringify(trend)}`);
  await shot(page, 'overview');
});

test('Cost: effective $/GPU-hour and $/useful GPU-hour by team, CSV download', async () => {
  const { page } = fx;
  await open(page, `cost?${RANGE}`, testIds.cost.table);
  const ml = page.getByTestId(testIds.cost.table).locator('tr', { hasText: 'ml' }).first();
  const row = (await ml.textContent()) ?? '';
  assert.match(row, /\$16\.00\/h/);
  assert.match(row, /\$2\.\d\d/); // per useful GPU-hour: 16 / 5.92 = 2.70
  assert.match(row, /74\.0 %/);
  assert.match(await text(page, testIds.cost.projected), /\$\d/);
  // A fleet minutes old: month to date is the spend since its first sample, labelled so, not a dash.
  const mtd = await text(page, testIds.cost.monthToDate);
  assert.match(mtd, /\$\d+\.\d\d/);
  assert.match(mtd, /when the data begins/);
  // At 1440 px the shared toolbar is one row (time picker beside the data source), the dimension switch below it.
  const top = async (testId: string) => (await page.getByTestId(testId).boundingBox())?.y ?? Number.NaN;
  assert.ok(Math.abs((await top(testIds.toolbar.range)) - (await top(testIds.toolbar.datasource))) < 8, 'the time picker wrapped');
  assert.ok((await top(testIds.cost.dimension)) > (await top(testIds.toolbar.datasource)) + 20, 'the dimension switch is not below the toolbar');
  await shot(page, 'cost');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testIds.cost.download).click()]);
  assert.match(download.suggestedFilename(), /^gpufleet-cost-team-\d{4}-\d{2}-\d{2}\.csv$/);
  const stream = await download.createReadStream();
  let csv = '';
  for await (const chunk of stream) {
    csv += chunk.toString();
  }
  const lines = csv.trim().split('\r\n');
  assert.equal(lines[0]?.split(',')[0], 'dimension');
  const mlLine = lines.find((l) => l.startsWith('team,ml,'));
  assert.ok(mlLine, `no ml row in ${csv}`);
  assert.equal(mlLine.split(',')[2], '16');
  assert.equal(lines.length, 4); // header + ml, research, serving

  await page.getByTestId(testIds.cost.dimension).getByRole('radio', { name: 'Provider' }).check();
  await page.getByTestId(testIds.cost.table).getByText('neocloud-a').waitFor();
});

test('Idle waste: split, threshold, per workload, and links to the node page', async () => {
  const { page } = fx;
  await open(page, `idle-waste?${RANGE}`, testIds.idle.split);
  assert.match(await text(page, testIds.idle.split), /\$16\.63\/h/);
  const [threshold] = await query(fx.stack.promUrl, 'max(gpufleet:idle_threshold:ratio)');
  assert.ok(threshold, 'the rules record their idle threshold');
  const percent = (Number(threshold.value[1]) * 100).toFixed(1);
  assert.ok((await text(page, testIds.idle.threshold)).includes(`whose threshold is ${percent} %`));
  assert.match(await text(page, testIds.idle.byWorkload), /notebook-0/);
  assert.match(await text(page, testIds.idle.byGpu), /e2e-own-01/);
  await shot(page, 'idle-waste');
  await page.getByTestId(testIds.idle.byNode).getByRole('link', { name: 'e2e-vm-01' }).click();
  await page.getByTestId(testIds.node.gpus).waitFor();
  const url = new URL(page.url());
  assert.equal(url.pathname, `${APP}/node`);
  assert.equal(url.searchParams.get('node'), 'e2e-vm-01');
  assert.equal(url.searchParams.get('from'), 'now-15m');
});

test('Stragglers: e2e-train-03 ranked first with its cause, one small multiple per node', async () => {
  const { page } = fx;
  await open(page, `stragglers?${RANGE}`, testIds.stragglers.ranking);
  const first = (await page.getByTestId(testIds.stragglers.ranking).locator('tbody tr').first().textContent()) ?? '';
  assert.match(first, /e2e-train-03/);
  assert.match(first, /thermal/);
  const multiples = page.getByTestId(testIds.stragglers.multiple);
  assert.equal(await multiples.count(), 4);
  assert.equal(await multiples.first().getAttribute('data-node'), 'e2e-train-03');
  // Every cell draws its node's line and the median.
  for (const cell of await multiples.all()) {
    const paths = await cell.locator('path').evaluateAll((all) => all.map((p) => p.getAttribute('d') ?? ''));
    assert.ok(paths.filter((d) => d.includes('L')).length >= 2, `cell draws no line: ${JSON.stringify(paths)}`);
  }
  // One straggler, said in the singular.
  await page.locator('#gpufleet-workload').click();
  await page.getByRole('option', { name: 'pretrain (1 straggler)' }).waitFor();
  await page.keyboard.press('Escape');
  await shot(page, 'stragglers');
});

test('Node: GPUs with throttling, NVMe throughput and cost', async () => {
  const { page } = fx;
  await open(page, `node?node=e2e-train-03&${RANGE}`, testIds.node.gpus);
  const gpus = await text(page, testIds.node.gpus);
  assert.match(gpus, /hw_thermal/);
  assert.match(gpus, /56\.0 %/);
  assert.match(await text(page, testIds.node.nvme), /nvme0n1/);
  assert.match(await text(page, testIds.node.summary), /team ml/);
  await shot(page, 'node');
});

test('Bare metal vs virtualised: one row per model and infra', async () => {
  const { page } = fx;
  await open(page, `bare-metal-vs-virtualised?${RANGE}`, testIds.infra.table);
  const table = await text(page, testIds.infra.table);
  assert.match(table, /Bare metal/);
  assert.match(table, /Virtual machine/);
  await shot(page, 'bare-metal-vs-virtualised');
});

test('Navigation keeps the time range; Configuration saves through the settings API', async () => {
  const { page } = fx;
  await open(page, `overview?${RANGE}`, testIds.overview.spendRate);
  await page.getByTestId('preview-nav').getByText('Stragglers').click();
  await page.getByTestId(testIds.stragglers.ranking).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('from'), 'now-15m');

  await page.getByTestId('preview-nav').getByText('Configuration').click();
  await page.getByTestId(testIds.appConfig.idleThreshold).fill('0.3');
  await page.getByTestId(testIds.appConfig.submit).click();
  await page.getByTestId(testIds.appConfig.saved).getByText('Settings saved').waitFor();
  await shot(page, 'configuration');
  const saved = await (await fetch(`${fx.preview.url}/api/plugins/gpufleet-gpufleet-app/settings`)).json();
  assert.equal(saved.jsonData.idleThreshold, 0.3);

  await page.getByTestId('preview-nav').getByText('Idle waste').click();
  await page.getByTestId(testIds.idle.threshold).getByText('30.0 %').waitFor();
});

test('The cluster choice applies to the page; an unknown cluster says what to check', async () => {
  const { page } = fx;
  await open(page, `overview?${RANGE}`, testIds.overview.spendRate);
  await page.locator('#gpufleet-cluster').click();
  await page.getByRole('option', { name: 'e2e' }).click();
  await page.getByTestId(testIds.overview.spendRate).getByText('$37.25/h').waitFor();
  assert.equal(new URL(page.url()).searchParams.get('cluster'), 'e2e');

  await open(page, `overview?${RANGE}&cluster=elsewhere`, testIds.state.empty);
  const empty = await text(page, testIds.state.empty);
  assert.match(empty, /No gpufleet series in cluster "elsewhere"/);
  assert.match(empty, /Is the exporter scraped\?/);
});
