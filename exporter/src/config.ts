import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { z } from 'zod';

/*
 * Configuration: defaults < YAML file (--config) < environment (GPUFLEET_*) < command-line flags.
 * Every value is validated by one zod schema, so a typo fails at start with the key that is wrong.
 */

export const ROLES = ['node', 'billing', 'simulate'] as const;
export type Role = (typeof ROLES)[number];

export const DEFAULT_PORT = 9842;

const listenSchema = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]*):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:9842 or :9842');

export const configSchema = z
  .object({
    roles: z.array(z.enum(ROLES)).min(1).default(['simulate']),
    listen: listenSchema.default(`:${DEFAULT_PORT}`),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    node: z
      .object({
        name: z.string().min(1).default(hostname()),
        dcgmUrl: z.url().default('http://localhost:9400/metrics'),
        /** Shorter than Prometheus's default 10 s scrape timeout so a hung dcgm-exporter still yields a scrape. */
        dcgmTimeoutMs: z.number().int().positive().default(3000),
        dcgmMaxBytes: z.number().int().positive().default(8 * 1024 * 1024),
        diskstatsPath: z.string().min(1).default('/proc/diskstats'),
        sysBlockPath: z.string().min(1).default('/sys/block'),
        nvme: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    billing: z
      .object({
        priceBook: z.string().min(1).optional(),
        focus: z.array(z.string().min(1)).default([]),
        nodeTag: z.string().min(1).default('gpufleet-node'),
        windowDays: z.number().positive().default(30),
      })
      .strict()
      .prefault({}),
    simulate: z
      .object({
        scenario: z.string().min(1).optional(),
        /** Where the simulated fleet writes its price book and FOCUS export; a temp dir when unset. */
        billingDir: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.roles.includes('billing') && config.billing.priceBook === undefined) {
      ctx.addIssue({ code: 'custom', path: ['billing', 'priceBook'], message: 'the billing role needs a price book (--price-book)' });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Flag → config path. Environment variable: GPUFLEET_ + flag in upper snake case. */
const FLAGS = {
  role: { path: ['roles'], kind: 'list', help: 'roles to run, comma separated: node, billing, simulate (default simulate)' },
  listen: { path: ['listen'], kind: 'string', help: `host:port to serve on (default :${DEFAULT_PORT})` },
  'log-level': { path: ['logLevel'], kind: 'string', help: 'trace|debug|info|warn|error|fatal|silent (default info)' },
  'node-name': { path: ['node', 'name'], kind: 'string', help: 'node label of this server (default: hostname)' },
  'dcgm-url': { path: ['node', 'dcgmUrl'], kind: 'string', help: 'dcgm-exporter metrics URL (default http://localhost:9400/metrics)' },
  'dcgm-timeout-ms': { path: ['node', 'dcgmTimeoutMs'], kind: 'number', help: 'dcgm-exporter read timeout (default 3000)' },
  'dcgm-max-bytes': { path: ['node', 'dcgmMaxBytes'], kind: 'number', help: 'largest dcgm-exporter response accepted (default 8 MiB)' },
  diskstats: { path: ['node', 'diskstatsPath'], kind: 'string', help: 'diskstats file, e.g. a host mount (default /proc/diskstats)' },
  'sys-block': { path: ['node', 'sysBlockPath'], kind: 'string', help: 'sysfs block directory for NVMe model/serial (default /sys/block)' },
  'no-nvme': { path: ['node', 'nvme'], kind: 'negate', help: 'do not read NVMe counters' },
  'price-book': { path: ['billing', 'priceBook'], kind: 'string', help: 'price book YAML (billing role)' },
  focus: { path: ['billing', 'focus'], kind: 'list', help: 'FOCUS CSV files or directories, comma separated or repeated' },
  'focus-node-tag': { path: ['billing', 'nodeTag'], kind: 'string', help: 'FOCUS tag naming the node (default gpufleet-node)' },
  'billing-window-days': { path: ['billing', 'windowDays'], kind: 'number', help: 'FOCUS charge periods averaged (default 30)' },
  scenario: { path: ['simulate', 'scenario'], kind: 'string', help: 'simulated fleet scenario YAML (default scenarios/default.yaml)' },
  'billing-dir': { path: ['simulate', 'billingDir'], kind: 'string', help: 'where the simulator writes its billing files (default: a temp dir)' },
} as const satisfies Record<string, { path: readonly string[]; kind: 'string' | 'number' | 'list' | 'negate'; help: string }>;

type FlagName = keyof typeof FLAGS;

export function helpText(): string {
  const lines = [
    'usage: gpufleet-exporter [--config FILE] [flags]',
    '',
    'Serves the gpufleet metric contract on /metrics (and /healthz, /readyz).',
    'Each flag can also be set in the environment as GPUFLEET_<FLAG> (e.g. GPUFLEET_DCGM_URL)',
    'or in the YAML file given by --config / GPUFLEET_CONFIG. Flags win over the environment, which wins over the file.',
    '',
    '  --config FILE                 YAML configuration file',
  ];
  for (const [name, flag] of Object.entries(FLAGS)) {
    const arg = flag.kind === 'negate' ? '' : flag.kind === 'number' ? ' N' : ' VALUE';
    lines.push(`  --${(name + arg).padEnd(28)}${flag.help}`);
  }
  lines.push('  --help                        show this help');
  return lines.join('\n');
}

function envName(flag: string): string {
  return `GPUFLEET_${flag.toUpperCase().replace(/-/g, '_')}`;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function convert(flag: FlagName, raw: string | string[] | boolean, origin: string): unknown {
  const spec = FLAGS[flag];
  switch (spec.kind) {
    case 'negate':
      return false;
    case 'list':
      return (Array.isArray(raw) ? raw : [String(raw)]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
    case 'number': {
      const value = Number(raw);
      if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value)) {
        throw new ConfigError(`${origin}: expected a number, got ${JSON.stringify(raw)}`);
      }
      return value;
    }
    default:
      return String(raw);
  }
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${path}: cannot read config file: ${(err as Error).message}`);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) throw new ConfigError(`${path}: ${doc.errors[0]?.message}`);
  const value = doc.toJS() as unknown;
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${path}: expected a mapping at the top level`);
  return value as Record<string, unknown>;
}

export type ParsedCommandLine = { help: true } | { help: false; config: Config };

/** Builds the configuration from argv, the environment and an optional file. Throws ConfigError. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ParsedCommandLine {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { config: { type: 'string' }, help: { type: 'boolean' } };
  for (const [name, spec] of Object.entries(FLAGS)) {
    options[name] = spec.kind === 'negate' ? { type: 'boolean' } : { type: 'string', multiple: spec.kind === 'list' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new ConfigError(`${(err as Error).message} (see --help)`);
  }
  if (parsed.values.help === true) return { help: true };

  const configPath = (parsed.values.config as string | undefined) ?? env.GPUFLEET_CONFIG;
  const merged: Record<string, unknown> = configPath ? readConfigFile(configPath) : {};
  for (const name of Object.keys(FLAGS) as FlagName[]) {
    const fromEnv = env[envName(name)];
    if (fromEnv !== undefined && fromEnv !== '') {
      if (FLAGS[name].kind !== 'negate' || /^(1|true|yes)$/i.test(fromEnv)) {
        setPath(merged, FLAGS[name].path, convert(name, fromEnv, envName(name)));
      }
    }
  }
  for (const name of Object.keys(FLAGS) as FlagName[]) {
    const fromFlag = parsed.values[name];
    if (fromFlag !== undefined) setPath(merged, FLAGS[name].path, convert(name, fromFlag as string | string[] | boolean, `--${name}`));
  }

  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const where = configPath ? `${configPath}: ` : '';
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new ConfigError(`${where}invalid configuration: ${issues.join('; ')}`);
  }
  return { help: false, config: result.data };
}

/** Splits `host:port` into what `server.listen` takes; an empty host means every interface. */
export function parseListen(listen: string): { host: string | undefined; port: number } {
  const colon = listen.lastIndexOf(':');
  const host = listen.slice(0, colon).replace(/^\[|\]$/g, '');
  return { host: host === '' ? undefined : host, port: Number(listen.slice(colon + 1)) };
}
