#!/usr/bin/env node
/*
 * Writes dashboards/*.json from the builders in this folder.
 *   node --import tsx deploy/dashboards-src/generate.ts          write the files
 *   node --import tsx deploy/dashboards-src/generate.ts --check  exit 1 if a file is not up to date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DASHBOARDS, renderDashboard } from './index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(repoRoot, 'dashboards');

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

const check = process.argv.includes('--check');
let stale = 0;
for (const [file, build] of Object.entries(DASHBOARDS)) {
  const path = join(outDir, file);
  const text = renderDashboard(build());
  if (readOrEmpty(path) === text) continue;
  if (check) {
    process.stderr.write(`${relative(repoRoot, path)} is not up to date: run node --import tsx deploy/dashboards-src/generate.ts\n`);
    stale++;
  } else {
    writeFileSync(path, text);
    process.stdout.write(`wrote ${relative(repoRoot, path)}\n`);
  }
}
process.exit(stale > 0 ? 1 : 0);
