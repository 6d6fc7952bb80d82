/*
 * `npm run demo`: the whole product on this machine without Docker or a GPU. A simulated fleet served by
 * the exporter, a real Prometheus evaluating alerts/ over it, and the Grafana app plugin in its preview
 * host. Ctrl-C stops everything.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALERTS_DIR, REPO_ROOT, ensurePrometheus, freePort, ruleFiles, startStack, type Stack } from './stack.js';

const PLUGIN_DIR = join(REPO_ROOT, 'grafana-plugin');

const HOST = '127.0.0.1';

async function portOrFree(preferred: number): Promise<number> {
  return new Promise((resolvePort) => {
    import('node:net').then(({ createServer }) => {
      const probe = createServer();
      probe.once('error', () => void freePort(HOST).then(resolvePort));
      probe.listen(preferred, HOST, () => probe.close(() => resolvePort(preferred)));
    });
  });
}

/** Runs a build step with its output shown; throws naming the step when it fails. */
async function run(command: string, args: string[], what: string): Promise<void> {
  const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`${what} failed (exit ${code}): see the output above`);
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

/** The plugin is rebuilt only when its sources changed since the last build (a build takes ~20 s). */
function pluginIsBuilt(): boolean {
  const bundle = join(PLUGIN_DIR, 'dist', 'module.js');
  const host = join(PLUGIN_DIR, 'preview', 'dist', 'host.js');
  if (!existsSync(bundle) || !existsSync(host)) return false;
  const built = Math.min(statSync(bundle).mtimeMs, statSync(host).mtimeMs);
  return newestMtime(join(PLUGIN_DIR, 'src')) < built && newestMtime(join(REPO_ROOT, 'dashboards')) < built;
}

async function main(): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  ensurePrometheus(say);
  const scenario = process.env.GPUFLEET_SCENARIO ?? 'default';
  const exporterPort = await portOrFree(Number(process.env.GPUFLEET_EXPORTER_PORT ?? 9842));
  const promPort = await portOrFree(Number(process.env.GPUFLEET_PROMETHEUS_PORT ?? 9090));
  const previewPort = await portOrFree(Number(process.env.GPUFLEET_PREVIEW_PORT ?? 3000));

  if (!pluginIsBuilt()) {
    say('building the Grafana app plugin and its preview host…');
    await run('npm', ['run', 'build', '--workspace', 'grafana-plugin'], 'plugin build');
    await run('npm', ['run', 'preview:build', '--workspace', 'grafana-plugin'], 'preview host build');
  }

  // The production rules need 15 minutes of history before idle waste shows and 5 before a straggler
  // is flagged. The demo runs alerts/ with time compressed 60× (alerts/fast-rules.sh) so everything
  // shows within a minute; GPUFLEET_DEMO_RULES=production runs the rules exactly as shipped.
  const production = process.env.GPUFLEET_DEMO_RULES === 'production';
  const fastDir = production ? undefined : mkdtempSync(join(tmpdir(), 'gpufleet-demo-rules-'));
  if (fastDir) execFileSync('bash', [join(ALERTS_DIR, 'fast-rules.sh'), fastDir]);

  say(`starting the simulated fleet (${scenario}) and Prometheus…`);
  const stack: Stack = await startStack({
    scenario,
    exporterPort,
    promPort,
    interval: production ? '15s' : '1s', // compressed windows (e.g. rate over [5s]) need 1 s scrapes
    host: HOST,
    ruleFiles: fastDir ? ruleFiles(fastDir) : undefined,
  });
  const { startPreviewServer } = await import('../grafana-plugin/preview/server.js');
  const preview = await startPreviewServer({ promUrl: stack.promUrl, port: previewPort }).catch(async (err: unknown) => {
    await stack.stop();
    throw err;
  });

  say('');
  say('gpufleet demo is running:');
  say(`  app (plugin preview)  ${preview.url}/a/gpufleet-gpufleet-app/overview`);
  say(`  Prometheus            ${stack.promUrl}  (rules: ${stack.promUrl}/rules, alerts: ${stack.promUrl}/alerts)`);
  say(`  exporter              ${stack.exporterUrl}/metrics  (node targets: ${stack.exporterUrl}/sd)`);
  say(production ? 'Rules: alerts/ as shipped.' : 'Rules: alerts/ with time compressed 60× so idle waste and stragglers show within a minute (GPUFLEET_DEMO_RULES=production for the real windows).');
  say('Press Ctrl-C to stop.');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  say('stopping…');
  await preview.stop();
  await stack.stop();
  if (fastDir) rmSync(fastDir, { recursive: true, force: true });
  say('stopped.');
}

main().catch((err: unknown) => {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
