import { readFileSync } from 'node:fs';
import { ConfigError, DEFAULT_PORT, loadConfig, type Config } from '../../../exporter/src/config.js';
import { parsePriceBook, type PriceBook } from '../../../exporter/src/sources/billing/pricebook.js';
import { parse } from 'yaml';
import { repoPath } from './repo.js';

/* The exporter's own parsers, so deployment files are checked by the code that will read them. */

export { DEFAULT_PORT };

/** Parses an exporter command line as the exporter does; throws its ConfigError with the reason. */
export function exporterConfig(args: readonly string[]): Config {
  const parsed = loadConfig(args, {});
  if (parsed.help) throw new ConfigError('--help given');
  return parsed.config;
}

export function priceBook(text: string, file: string): PriceBook {
  return parsePriceBook(text, file);
}

/** The `cluster` a scenario under exporter/scenarios simulates. */
export function scenarioCluster(name: string): string {
  const scenario = parse(readFileSync(repoPath('exporter/scenarios', `${name}.yaml`), 'utf8')) as { cluster?: unknown };
  if (typeof scenario.cluster !== 'string') throw new Error(`exporter/scenarios/${name}.yaml has no cluster`);
  return scenario.cluster;
}
