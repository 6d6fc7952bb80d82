import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { validateDist } from './validateDist.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');

describe('dist of the built plugin', () => {
  test('passes every check', () => {
    assert.deepEqual(validateDist(dist, 'gpufleet-gpufleet-app'), []);
  });
});

describe('validateDist catches broken builds', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gpufleet-dist-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('missing plugin.json', () => {
    assert.match(validateDist(path.join(dir, 'nothing'))[0], /plugin\.json: missing/);
  });

  test('placeholders, bad id, missing module, dashboard and logos', () => {
    mkdirSync(path.join(dir, 'dashboards'), { recursive: true });
    writeFileSync(path.join(dir, 'dashboards', 'orphan.json'), JSON.stringify({ uid: 'x', title: 'x' }));
    writeFileSync(
      path.join(dir, 'plugin.json'),
      JSON.stringify({
        type: 'app',
        id: 'Bad_ID',
        name: 'x',
        info: { version: '%VERSION%', updated: 'today', author: {}, logos: { small: 'img/none.svg' } },
        dependencies: { grafanaDependency: 'any' },
        includes: [
          { type: 'page', name: 'P', path: '/elsewhere', defaultNav: true },
          { type: 'dashboard', name: 'D', path: 'dashboards/missing.json' },
        ],
      })
    );
    const problems = validateDist(dir, 'gpufleet-gpufleet-app').join('\n');
    for (const expected of [
      /unreplaced placeholders %VERSION%/,
      /id "Bad_ID"/,
      /info\.updated/,
      /info\.author\.name/,
      /logos\.small "img\/none\.svg" does not exist/,
      /logos\.large is required/,
      /grafanaDependency/,
      /page path "\/elsewhere"/,
      /dashboards\/missing\.json" does not exist/,
      /orphan\.json: bundled but not listed/,
      /module\.js: missing/,
      /README\.md: missing/,
    ]) {
      assert.match(problems, expected);
    }
  });
});
