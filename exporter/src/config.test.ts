import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, helpText, loadConfig, parseListen } from './config.js';

function config(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const parsed = loadConfig(argv, env);
  assert.equal(parsed.help, false);
  if (parsed.help) throw new Error('unreachable');
  return parsed.config;
}

test('defaults run the simulated fleet on :9842', () => {
  const c = config([]);
  assert.deepEqual(c.roles, ['simulate']);
  assert.equal(c.listen, ':9842');
  assert.equal(c.node.dcgmUrl, 'http://localhost:9400/metrics');
  assert.equal(c.node.dcgmTimeoutMs, 3000);
});

test('flags win over environment, which wins over the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpufleet-config-'));
  const file = join(dir, 'c.yaml');
  writeFileSync(file, 'roles: [node]\nlisten: "127.0.0.1:1000"\nnode:\n  name: from-file\n  dcgmTimeoutMs: 1500\n');
  const c = config(['--config', file, '--listen', '127.0.0.1:3000'], { GPUFLEET_LISTEN: '127.0.0.1:2000', GPUFLEET_NODE_NAME: 'from-env' });
  assert.deepEqual(c.roles, ['node']);
  assert.equal(c.listen, '127.0.0.1:3000');
  assert.equal(c.node.name, 'from-env');
  assert.equal(c.node.dcgmTimeoutMs, 1500);
});

test('roles and FOCUS paths accept commas and repetition', () => {
  const c = config(['--role', 'node,billing', '--price-book', 'p.yaml', '--focus', 'a.csv,b.csv', '--focus', 'dir']);
  assert.deepEqual(c.roles, ['node', 'billing']);
  assert.deepEqual(c.billing.focus, ['a.csv', 'b.csv', 'dir']);
});

test('rejects bad values with the key that is wrong', () => {
  assert.throws(() => config(['--role', 'gpu']), (e: Error) => e instanceof ConfigError && /roles\.0/.test(e.message));
  assert.throws(() => config(['--dcgm-timeout-ms', 'soon']), /--dcgm-timeout-ms: expected a number/);
  assert.throws(() => config(['--listen', 'nowhere']), /listen: expected host:port/);
  assert.throws(() => config(['--role', 'billing']), /billing\.priceBook: the billing role needs a price book/);
  assert.throws(() => config(['--bogus']), /Unknown option '--bogus'/);
});

test('rejects unknown keys and broken YAML in the file, naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpufleet-config-'));
  const typo = join(dir, 'typo.yaml');
  writeFileSync(typo, 'node:\n  dcgm_url: http://x\n');
  assert.throws(() => config(['--config', typo]), (e: Error) => e.message.startsWith(typo) && /dcgm_url/.test(e.message));
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'roles: [node\n');
  assert.throws(() => config(['--config', broken]), (e: Error) => e.message.startsWith(broken));
  assert.throws(() => config(['--config', join(dir, 'missing.yaml')]), /cannot read config file/);
});

test('--help lists every flag', () => {
  assert.deepEqual(loadConfig(['--help']), { help: true });
  for (const flag of ['--role', '--dcgm-url', '--price-book', '--scenario', '--no-nvme']) assert.match(helpText(), new RegExp(flag));
});

test('parses listen addresses', () => {
  assert.deepEqual(parseListen(':9842'), { host: undefined, port: 9842 });
  assert.deepEqual(parseListen('127.0.0.1:80'), { host: '127.0.0.1', port: 80 });
  assert.deepEqual(parseListen('[::1]:80'), { host: '::1', port: 80 });
});
