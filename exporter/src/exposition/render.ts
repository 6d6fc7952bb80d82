import type { Labels, MetricFamily } from './types.js';

/*
 * Text exposition format 0.0.4 writer. Hand-written rather than prom-client's registry because the
 * collectors build thousands of fresh samples at every scrape (a simulated fleet renders ~100k lines);
 * registering and resetting prom-client metrics per scrape costs several times more.
 */

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const LABEL_ESCAPES = /[\\"\n]/g;
const HELP_ESCAPES = /[\\\n]/g;

function escapeLabelValue(value: string): string {
  return LABEL_ESCAPES.test(value)
    ? value.replace(LABEL_ESCAPES, (c) => (c === '\n' ? '\\n' : `\\${c}`))
    : value;
}

function escapeHelp(help: string): string {
  return help.replace(HELP_ESCAPES, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export function formatLabels(labels: Labels): string {
  let out = '';
  for (const name in labels) {
    const value = labels[name] as string;
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  }
  return out === '' ? '' : `{${out}}`;
}

/** Merges families that share a name (several sources may report one family) keeping first HELP/TYPE. */
export function mergeFamilies(groups: Iterable<MetricFamily[]>): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  for (const families of groups) {
    for (const family of families) {
      const existing = byName.get(family.name);
      if (existing === undefined) {
        byName.set(family.name, { ...family, samples: family.samples.slice() });
      } else {
        for (const sample of family.samples) existing.samples.push(sample);
      }
    }
  }
  return [...byName.values()];
}

/** Renders families; families without samples are left out (HELP/TYPE alone says nothing). */
export function renderFamilies(families: readonly MetricFamily[]): string {
  const parts: string[] = [];
  for (const family of families) {
    if (family.samples.length === 0) continue;
    parts.push(`# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`);
    for (const sample of family.samples) {
      parts.push(`${family.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}\n`);
    }
  }
  return parts.join('');
}
