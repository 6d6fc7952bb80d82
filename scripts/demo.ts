/*
 * `npm run demo`: the whole product on this machine without Docker or a GPU. A simulated fleet served by
 * the exporter, a real Prometheus evaluating alerts/ over it, and the Grafana app plugin in its preview
 * host. Ctrl-C stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, ensurePrometheus, freePort, startStack, type Stack } from './stack.js';

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

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
}

async function waitHttp(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

async function main(): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  ensurePrometheus(say);
  const scenario = process.env.GPUFLEET_SCENARIO ?? 'default';
  const exporterPort = await portOrFree(Number(process.env.GPUFLEET_EXPORTER_PORT ?? 9842));
  const promPort = await portOrFree(Number(process.env.GPUFLEET_PROMETHEUS_PORT ?? 9090));
  const previewPort = await portOrFree(Number(process.env.GPUFLEET_PREVIEW_PORT ?? 3000));

  say(`starting the simulated fleet (${scenario}) and Prometheus…`);
  const stack: Stack = await startStack({ scenario, exporterPort, promPort, interval: '5s', host: HOST });

  let preview: ChildProcess | undefined;
  const pluginDir = join(REPO_ROOT, 'grafana-plugin');
  if (existsSync(join(pluginDir, 'package.json'))) {
    if (!existsSync(join(pluginDir, 'dist', 'module.js'))) {
      say('building the Grafana app plugin (first run only)…');
      const build = run('npm', ['run', 'build', '--workspace', 'grafana-plugin']);
      const code = await new Promise<number | null>((r) => build.once('exit', r));
      if (code !== 0) throw new Error('plugin build failed: see the output above');
    }
    preview = run('npm', ['run', 'preview', '--workspace', 'grafana-plugin', '--', '--port', String(previewPort), '--prometheus', stack.promUrl]);
    if (!(await waitHttp(`http://${HOST}:${previewPort}/`, 60_000))) say('warning: the plugin preview did not answer within 60 s');
  }

  say('');
  say('gpufleet demo is running:');
  if (preview) say(`  app (plugin preview)  http://${HOST}:${previewPort}/a/gpufleet-gpufleet-app/overview`);
  say(`  Prometheus            ${stack.promUrl}  (rules: ${stack.promUrl}/rules, alerts: ${stack.promUrl}/alerts)`);
  say(`  exporter              ${stack.exporterUrl}/metrics  (node targets: ${stack.exporterUrl}/sd)`);
  say('Press Ctrl-C to stop.');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  say('stopping…');
  if (preview && preview.exitCode === null) {
    preview.kill('SIGTERM');
    await new Promise((r) => preview?.once('exit', r));
  }
  await stack.stop();
  say('stopped.');
}

main().catch((err: unknown) => {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
