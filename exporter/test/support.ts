/*
 * Shared pieces of the exporter's integration tests: building roles in-process and serving them on a
 * free loopback port, starting the real exporter as a child process, HTTP reads, and exposition parsing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { configSchema, type Config } from '../src/config.js';
import { parseExposition, type ParsedSample } from '../src/exposition/parser.js';
import { buildRoles, type Roles } from '../src/roles.js';
import { createApp } from '../src/server.js';

export const EXPORTER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SCENARIOS_DIR = join(EXPORTER_DIR, 'scenarios');
export const EXAMPLES_DIR = join(EXPORTER_DIR, 'examples');
export const DCGM_FIXTURES_DIR = resolve(EXPORTER_DIR, '../../shared/fixtures/dcgm');

/** A fixed instant for simulated fleets: a whole second, so every derived timestamp is exact. */
export const FIXED_START_MS = Math.floor(Date.now() / 1000) * 1000;

export function tempDir(t: { after(fn: () => void): void }, prefix = 'gpufleet-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A configuration as the command line would give it, with defaults filled in by the real schema. */
export function makeConfig(input: Record<string, unknown>): Config {
  return configSchema.parse(input);
}

/** A pino logger whose JSON lines are kept in memory, so tests can read what was logged. */
export function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

export interface RunningRoles {
  roles: Roles;
  url: string;
  logLines: string[];
}

/** buildRoles + createApp on 127.0.0.1 and a free port, closed when the test ends. */
export async function serveRoles(
  t: { after(fn: () => Promise<void> | void): void },
  config: Config,
  clock?: () => number,
  options: { warmUp?: boolean } = {},
): Promise<RunningRoles> {
  const { log, lines } = memoryLogger();
  const roles = await buildRoles(config, log, clock);
  if (options.warmUp ?? true) await roles.main.collect(AbortSignal.timeout(10_000));
  const server = createApp(roles, config.roles, log).listen(0, '127.0.0.1');
  await new Promise<void>((resolveListen, reject) => {
    server.once('listening', resolveListen);
    server.once('error', reject);
  });
  t.after(
    () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { roles, url: `http://127.0.0.1:${port}`, logLines: lines };
}

export interface HttpResult {
  status: number;
  contentType: string;
  body: string;
  ms: number;
}

export async function httpGet(url: string, timeoutMs = 20_000): Promise<HttpResult> {
  const started = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const body = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body, ms: performance.now() - started };
}

/** GET that must answer 200; the failure message carries the body. */
export async function scrape(url: string): Promise<string> {
  const res = await httpGet(url);
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}: ${res.body.slice(0, 500)}`);
  return res.body;
}

/** Parses exposition text and fails on any line the strict parser rejects. */
export function parseStrict(text: string, origin: string): ParsedSample[] {
  const parsed = parseExposition(text, origin);
  if (parsed.errors.length > 0) throw new Error(`${origin}: exposition does not parse:\n${parsed.errors.slice(0, 10).join('\n')}`);
  return parsed.samples;
}

/** A sample as one comparable line: name{sorted labels}. */
export function seriesKey(sample: { name: string; labels: Readonly<Record<string, string>> }): string {
  const labels = Object.keys(sample.labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(sample.labels[k])}`)
    .join(',');
  return `${sample.name}{${labels}}`;
}

/** Series key → value for the samples whose name passes `keep`. */
export function seriesMap(samples: readonly ParsedSample[], keep: (name: string) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) if (keep(s.name)) out.set(seriesKey(s), s.value);
  return out;
}

export function valueOf(samples: readonly ParsedSample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const match = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return match?.value;
}

/** An exporter started as users start it (`node --import tsx src/main.ts`), with its output kept. */
export interface ExporterProcess {
  child: ChildProcess;
  url: string;
  stderr(): string;
  /** True while the process has not exited. */
  alive(): boolean;
  /** The log written since offset `from` once it matches `pattern` (log lines arrive after the HTTP answer). */
  logSince(from: number, pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export function runMain(args: readonly string[], timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: EXPORTER_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`src/main.ts ${args.join(' ')} did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

export async function startExporter(t: { after(fn: () => Promise<void> | void): void }, args: readonly string[]): Promise<ExporterProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--listen', '127.0.0.1:0', ...args], {
    cwd: EXPORTER_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const address = await new Promise<string>((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`exporter did not start within 30 s; stderr:\n${stderr}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /listening on (\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolveStart(match[1] as string);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exporter exited with code ${code} before listening; stderr:\n${stderr}`));
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  t.after(stop);
  return {
    child,
    url: `http://${address}`,
    stderr: () => stderr,
    alive: () => child.exitCode === null && child.signalCode === null,
    logSince: async (from, pattern, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stderr.slice(from)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return stderr.slice(from);
    },
    stop,
  };
}
