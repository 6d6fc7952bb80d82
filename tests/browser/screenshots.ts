/*
 * Writes the README's screenshots (docs/screenshots/*.png): every page of the built plugin, in headless
 * Chromium at 1440×1000, over the default 16-node scenario with some history behind it.
 *
 *   node --import tsx tests/browser/screenshots.ts [--history 180] [--range now-3m]
 *
 * The stack is the demo's: the simulated fleet, a real Prometheus scraping every second with the rules
 * of alerts/ time-compressed 60× (alerts/fast-rules.sh), so idle waste, stragglers and alerts show
 * within a minute. It then waits until the fleet has `--history` seconds of recorded data (default 180)
 * so the trends have a shape, and shows each page over `--range` (default the last 3 minutes, which the
 * history fills). Takes about three and a half minutes; builds the plugin first when dist/ is missing.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { testIds } from '../../grafana-plugin/src/components/testIds.js';
import { query } from '../../scripts/stack.js';
import { APP, SCREENSHOT_DIR, startPreviewFixture, waitForSeries } from './previewFixture.js';

/** What each page must show before its picture is taken (the default scenario's own features). */
const PAGES: Array<{ name: string; path: string; ready: string }> = [
  { name: 'overview', path: 'overview', ready: testIds.overview.spendRate },
  { name: 'cost', path: 'cost', ready: testIds.cost.table },
  { name: 'idle-waste', path: 'idle-waste', ready: testIds.idle.split },
  // The six-node pre-training job, whose thermally throttled node drags it down.
  { name: 'stragglers', path: 'stragglers?workload=llm-pretrain', ready: testIds.stragglers.multiples },
  // The thermally throttled straggler of the pre-training job.
  { name: 'node', path: 'node?node=dc1-h100-04', ready: testIds.node.gpus },
  { name: 'bare-metal-vs-virtualised', path: 'bare-metal-vs-virtualised', ready: testIds.infra.table },
];

async function historySeconds(promUrl: string): Promise<number> {
  // The first recorded fleet sample within the last hour, to one second.
  const [first] = await query(promUrl, 'min(min_over_time(timestamp(fleet:gpufleet_gpus:count)[1h:1s]))').catch(() => []);
  return first ? Date.now() / 1000 - Number(first.value[1]) : 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { history: { type: 'string', default: '180' }, range: { type: 'string', default: 'now-3m' } } });
  const history = Number(values.history);
  if (!Number.isFinite(history) || history < 0) {
    throw new Error(`--history must be a number of seconds, got "${values.history}"`);
  }
  const range = `from=${encodeURIComponent(values.range)}&to=now`;
  const say = (line: string) => process.stdout.write(`${line}\n`);

  say('starting the default fleet, Prometheus (time-compressed rules) and the preview host…');
  const fx = await startPreviewFixture({ scenario: 'default', shotDir: SCREENSHOT_DIR, waitFor: ['fleet:gpufleet_gpus:count'] });
  try {
    fx.page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    // Everything the pages show: idle waste split, a flagged straggler, the infra comparison, offers, alerts.
    await waitForSeries(fx.stack.promUrl, [
      'fleet:gpufleet_idle_waste:dollars_per_hour{kind="allocated_idle"} > 0',
      'node_workload:gpufleet_straggler:flag == 1',
      'model_infra:gpufleet_useful:median',
      'fleet_offer:gpufleet_break_even:ratio',
      'ALERTS{alertstate="firing"}',
    ]);
    for (;;) {
      const seconds = await historySeconds(fx.stack.promUrl);
      if (seconds >= history) break;
      say(`history ${seconds.toFixed(0)} s of ${history} s…`);
      await new Promise((r) => setTimeout(r, Math.min(15_000, (history - seconds) * 1000 + 500)));
    }

    for (const { name, path, ready } of PAGES) {
      await fx.page.goto(`${fx.preview.url}${APP}/${path}${path.includes('?') ? '&' : '?'}${range}`);
      await fx.page.getByTestId(ready).waitFor({ timeout: 30_000 });
      await fx.page.waitForLoadState('networkidle');
      await fx.page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
      say(`wrote docs/screenshots/${name}.png`);
    }
    await fx.page.goto(`${fx.preview.url}/plugins/gpufleet-gpufleet-app`);
    await fx.page.getByTestId(testIds.appConfig.container).waitFor({ timeout: 30_000 });
    await fx.page.waitForLoadState('networkidle');
    await fx.page.screenshot({ path: join(SCREENSHOT_DIR, 'configuration.png'), fullPage: false });
    say('wrote docs/screenshots/configuration.png');
  } finally {
    await fx.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshots: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
