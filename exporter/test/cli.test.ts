/*
 * The command line as users meet it: `node --import tsx src/main.ts` in a child process.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runMain } from './support.js';

describe('command line', () => {
  test('--help exits 0 and lists every flag on stdout', async () => {
    const { code, stdout, stderr } = await runMain(['--help']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^usage: gpufleet-exporter/);
    for (const flag of ['--config', '--role', '--listen', '--log-level', '--node-name', '--dcgm-url', '--dcgm-timeout-ms', '--dcgm-max-bytes', '--diskstats', '--sys-block', '--no-nvme', '--price-book', '--focus', '--focus-node-tag', '--billing-window-days', '--scenario', '--billing-dir', '--help']) {
      assert.match(stdout, new RegExp(`^  ${flag}\\b`, 'm'), `--help does not list ${flag}`);
    }
    assert.match(stdout, /GPUFLEET_/, '--help explains the environment variables');
  });

  test('an unknown flag exits 2 with a message naming it, and starts nothing', async () => {
    const { code, stdout, stderr } = await runMain(['--no-such-flag']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^gpufleet-exporter: .*--no-such-flag.*\(see --help\)/);
  });

  test('a bad value exits 2 naming the flag or key that is wrong', async () => {
    const badNumber = await runMain(['--role', 'node', '--dcgm-timeout-ms', 'soon']);
    assert.equal(badNumber.code, 2);
    assert.match(badNumber.stderr, /--dcgm-timeout-ms: expected a number/);

    const badRole = await runMain(['--role', 'gpu']);
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /roles\.0/);

    const noPriceBook = await runMain(['--role', 'billing']);
    assert.equal(noPriceBook.code, 2);
    assert.match(noPriceBook.stderr, /billing\.priceBook: .*--price-book/);

    const badListen = await runMain(['--listen', 'localhost']);
    assert.equal(badListen.code, 2);
    assert.match(badListen.stderr, /listen: expected host:port/);
  });
});
