import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's place (tests/deploy/support). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}

export function repoHas(...parts: string[]): boolean {
  return existsSync(repoPath(...parts));
}
