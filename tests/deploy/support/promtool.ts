import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** promtool from PATH (the Debian `prometheus` package installs it at /usr/bin/promtool). */
export const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

export function runPromtool(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(PROMTOOL, args, { encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw new Error(`cannot run ${PROMTOOL}: ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'gpufleet-deploy-test-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface NamedExpression {
  /** Where the expression comes from, for messages (dashboard, panel, query). */
  where: string;
  expr: string;
}

/**
 * Checks PromQL syntax with Prometheus's own parser: every expression becomes a recording rule of one
 * temporary rule file and `promtool check rules` reads it. Returns one message per invalid expression.
 */
export function invalidExpressions(items: readonly NamedExpression[]): string[] {
  if (items.length === 0) return [];
  const record = (i: number) => `gpufleet_dashboard_check:expr_${i}`;
  const file = { groups: [{ name: 'dashboard-expressions', rules: items.map((item, i) => ({ record: record(i), expr: item.expr })) }] };
  return withTempDir((dir) => {
    const path = join(dir, 'expressions.rules.yml');
    writeFileSync(path, stringify(file, { lineWidth: 0 }));
    const { status, output } = runPromtool(['check', 'rules', path]);
    if (status === 0) return [];
    const problems: string[] = [];
    items.forEach((item, i) => {
      const line = output.split('\n').find((l) => l.includes(`"${record(i)}"`));
      if (line) problems.push(`${item.where}: ${line.replace(/^.*?could not parse expression: /, '')}\n  ${item.expr}`);
    });
    return problems.length > 0 ? problems : [`promtool check rules failed:\n${output}`];
  });
}
