import { readFileSync } from 'node:fs';
import { repoPath } from './repo.js';

export const APP_BASE = '/a/gpufleet-gpufleet-app/';

/**
 * The app plugin's page routes, read from `enum ROUTES` in grafana-plugin/src/constants.ts, so a
 * dashboard link to a page the app does not have fails here rather than in a user's browser.
 */
export function appRoutes(): Set<string> {
  const file = 'grafana-plugin/src/constants.ts';
  const text = readFileSync(repoPath(file), 'utf8');
  const body = /export\s+enum\s+ROUTES\s*\{([^}]*)\}/.exec(text)?.[1];
  if (body === undefined) throw new Error(`${file}: no "export enum ROUTES { ... }"`);
  const routes = new Set<string>();
  for (const m of body.matchAll(/=\s*'([^']*)'/g)) routes.add(m[1] as string);
  if (routes.size === 0) throw new Error(`${file}: enum ROUTES lists no routes`);
  return routes;
}
