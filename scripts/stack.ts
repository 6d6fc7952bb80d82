/*
 * Starts the real parts of gpufleet on this machine: the exporter (simulate role, or any roles) and a
 * real Prometheus with the rules in alerts/. Used by `npm run demo`, the end-to-end tests and benches.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const EXPORTER_DIR = join(REPO_ROOT, 'exporter');
export const ALERTS_DIR = join(REPO_ROOT, 'alerts');
export const PROMETHEUS_BIN = process.env.GPUFLEET_PROMETHEUS ?? '/usr/bin/prometheus';

export type ScenarioName = 'e2e' | 'default' | 'large';

export interface Stack {
  promUrl: string;
  exporterUrl: string;
  /** Directory holding the Prometheus config and data, removed on stop. */
  workDir: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  scenario?: ScenarioName | string;
  /** Prometheus scrape and rule evaluation interval. */
  interval?: string;
  /** Fixed ports (the demo); tests leave them unset to get free ones. */
  exporterPort?: number;
  promPort?: number;
  host?: string;
  /** Rule files to load; default: every rule file in alerts/. */
  ruleFiles?: string[];
  /** Log child output to this stream (demo); tests keep it for error messages only. */
  verbose?: boolean;
}

export function scenarioPath(scenario: string): string {
  return ['e2e', 'default', 'large'].includes(scenario) ? join(EXPORTER_DIR, 'scenarios', `${scenario}.yaml`) : resolve(scenario);
}

/** Every Prometheus rule file in alerts/ (tests and the Alertmanager example are not rule files). */
export function ruleFiles(dir = ALERTS_DIR): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== 'tests' && entry !== 'runbooks') walk(path);
      } else if (/\.(rules|alerts)\.ya?ml$/.test(entry)) {
        out.push(path);
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

class ManagedProcess {
  readonly output: string[] = [];
  private exited: Promise<number | null>;
  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    verbose: boolean,
  ) {
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      this.output.push(text);
      if (this.output.length > 400) this.output.splice(0, this.output.length - 400);
      if (verbose) process.stderr.write(text.split('\n').filter(Boolean).map((l) => `[${name}] ${l}\n`).join(''));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
  }
  tail(): string {
    return this.output.join('').split('\n').slice(-30).join('\n');
  }
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, proc: ManagedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!proc.running) throw new Error(`${what}: ${proc.name} exited early:\n${proc.tail()}`);
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: timed out after ${timeoutMs} ms:\n${proc.tail()}`);
}

/** Installs Debian's prometheus when it is missing and we may (root with apt-get); otherwise says how. */
export function ensurePrometheus(log: (line: string) => void = () => {}): void {
  if (existsSync(PROMETHEUS_BIN)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    log('Prometheus is missing: installing the Debian package (apt-get install prometheus)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const result = spawnSync('apt-get', ['install', '-y', '-qq', 'prometheus'], { stdio: 'inherit', env });
    if (result.status === 0 && existsSync(PROMETHEUS_BIN)) return;
  }
  throw new Error(
    `Prometheus not found at ${PROMETHEUS_BIN}. Install it with \`sudo apt-get install prometheus\` (Debian/Ubuntu), ` +
      'or download Prometheus 2.x and set GPUFLEET_PROMETHEUS=/path/to/prometheus.',
  );
}

export function prometheusConfig(opts: { exporter: string; cluster: string; interval: string; rules: string[] }): string {
  const lines = [
    'global:',
    `  scrape_interval: ${opts.interval}`,
    `  evaluation_interval: ${opts.interval}`,
    `  scrape_timeout: ${opts.interval}`,
    'rule_files:',
    ...opts.rules.map((r) => `  - ${JSON.stringify(r)}`),
    'scrape_configs:',
    '  - job_name: gpufleet-billing',
    '    static_configs:',
    `      - targets: [${JSON.stringify(opts.exporter)}]`,
    `        labels: { cluster: ${JSON.stringify(opts.cluster)} }`,
    '  - job_name: gpufleet-node',
    '    http_sd_configs:',
    `      - url: http://${opts.exporter}/sd`,
    '        refresh_interval: 10s',
    // One exporter address serves every simulated node: name each target after its node so `up` does not collide.
    '    relabel_configs:',
    '      - source_labels: [__metrics_path__]',
    '        regex: /nodes/([^/]+)/metrics',
    '        target_label: instance',
    '        replacement: $1',
  ];
  if (opts.rules.length === 0) lines.splice(lines.indexOf('rule_files:'), 1);
  return `${lines.join('\n')}\n`;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  ensurePrometheus();
  const host = options.host ?? '127.0.0.1';
  const interval = options.interval ?? '1s';
  const verbose = options.verbose ?? false;
  const workDir = mkdtempSync(join(tmpdir(), 'gpufleet-stack-'));
  const exporterPort = options.exporterPort ?? (await freePort(host));
  const promPort = options.promPort ?? (await freePort(host));
  const exporterAddr = `${host}:${exporterPort}`;
  const exporterUrl = `http://${exporterAddr}`;
  const promUrl = `http://${host}:${promPort}`;

  const exporter = new ManagedProcess(
    'exporter',
    spawn(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', '--role', 'simulate', '--scenario', scenarioPath(options.scenario ?? 'e2e'), '--listen', exporterAddr, '--billing-dir', join(workDir, 'billing')],
      { cwd: EXPORTER_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
    ),
    verbose,
  );
  const processes: ManagedProcess[] = [exporter];
  const stop = async () => {
    for (const p of processes.reverse()) await p.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await waitFor('exporter /readyz', async () => (await fetch(`${exporterUrl}/readyz`)).ok, exporter, 60_000);
    const sd = (await (await fetch(`${exporterUrl}/sd`)).json()) as Array<{ labels: { cluster: string } }>;
    const cluster = sd[0]?.labels.cluster ?? 'simulated';
    const configFile = join(workDir, 'prometheus.yml');
    writeFileSync(configFile, prometheusConfig({ exporter: exporterAddr, cluster, interval, rules: options.ruleFiles ?? ruleFiles() }));
    const prometheus = new ManagedProcess(
      'prometheus',
      spawn(
        PROMETHEUS_BIN,
        [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${join(workDir, 'data')}`,
          `--web.listen-address=${host}:${promPort}`,
          '--storage.tsdb.retention.time=2d',
          '--web.enable-lifecycle',
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
      verbose,
    );
    processes.push(prometheus);
    await waitFor('prometheus /-/ready', async () => (await fetch(`${promUrl}/-/ready`)).ok, prometheus, 60_000);
    await waitFor(
      'first scrape of the simulated fleet',
      async () => {
        const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent('count(gpufleet_gpu_info) and count(gpufleet_node_info)')}`);
        const body = (await res.json()) as { data?: { result?: unknown[] } };
        return (body.data?.result?.length ?? 0) > 0;
      },
      prometheus,
      60_000,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { promUrl, exporterUrl, workDir, stop };
}

/** Instant query helper for tests: returns the result vector of a PromQL expression. */
export async function query(promUrl: string, expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; error?: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
  return body.data.result;
}
