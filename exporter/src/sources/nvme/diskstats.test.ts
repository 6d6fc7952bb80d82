import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isNvmeNamespace, parseDiskstats } from './diskstats.js';

// Kernel 6.x: 20 fields per line (discard and flush fields present).
const KERNEL_6 = `   7       0 loop0 58 0 2224 21 0 0 0 0 0 44 21 0 0 0 0 0 0
 259       0 nvme0n1 1533476 21 188117406 250452 4178560 1532289 251106032 3391734 0 2270548 3694339 0 0 0 0 198347 52152
 259       1 nvme0n1p1 412 0 14032 57 2 0 2 0 0 80 57 0 0 0 0 0 0
 259       2 nvme0n1p2 1532930 21 188090318 250366 4178558 1532289 251106030 3391734 0 2270440 3642100 0 0 0 0 0 0
 259       3 nvme1n1 98211 0 25141802 30127 11 0 88 2 0 40211 30131 0 0 0 0 3 1
   8       0 sda 23012 1201 2411020 11021 9211 8012 401211 30122 0 24102 41143 0 0 0 0 801 120
   8       1 sda1 22811 1201 2401212 10981 9211 8012 401211 30122 0 24011 41103 0 0 0 0 0 0
`;

// Kernel 4.15: 14 fields (no discard, no flush).
const KERNEL_4_15 = ` 259       0 nvme0n1 8021 12 642101 1201 33012 4411 992011 20111 0 9921 21312
 259       1 nvme0n1p1 8001 12 641001 1199 33012 4411 992011 20111 0 9911 21310
`;

// Kernel 5.4: 18 fields (discard present, flush not yet).
const KERNEL_5_4 = ` 259       0 nvme2n1 441 0 35280 88 12 3 120 5 0 90 93 7 0 1024 2
 259       4 nvme0c0n1 441 0 35280 88 12 3 120 5 0 90 93 7 0 1024 2
`;

describe('parseDiskstats', () => {
  it('keeps whole NVMe namespaces of a 20-field kernel and drops partitions, loop and SATA devices', () => {
    const { records, problems } = parseDiskstats(KERNEL_6, '/proc/diskstats');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => r.device),
      ['nvme0n1', 'nvme1n1'],
    );
    const nvme0 = records[0]!;
    assert.equal(nvme0.major, 259);
    assert.equal(nvme0.minor, 0);
    assert.equal(nvme0.line, 2);
    assert.equal(nvme0.readsCompleted, 1533476);
    assert.equal(nvme0.readsMerged, 21);
    assert.equal(nvme0.sectorsRead, 188117406);
    assert.equal(nvme0.readTimeMs, 250452);
    assert.equal(nvme0.writesCompleted, 4178560);
    assert.equal(nvme0.writesMerged, 1532289);
    assert.equal(nvme0.sectorsWritten, 251106032);
    assert.equal(nvme0.writeTimeMs, 3391734);
    assert.equal(nvme0.ioInProgress, 0);
    assert.equal(nvme0.ioTimeMs, 2270548);
    assert.equal(nvme0.weightedIoTimeMs, 3694339);
  });

  it('reads the 14-field format of kernels before 4.18', () => {
    const { records, problems } = parseDiskstats(KERNEL_4_15, 'd');
    assert.deepEqual(problems, []);
    assert.equal(records.length, 1);
    assert.equal(records[0]!.sectorsWritten, 992011);
    assert.equal(records[0]!.ioTimeMs, 9921);
  });

  it('reads the 18-field format and ignores hidden multipath paths', () => {
    const { records, problems } = parseDiskstats(KERNEL_5_4, 'd');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => r.device),
      ['nvme2n1'],
    );
  });

  it('reports malformed lines with file and line and keeps the good ones', () => {
    const text = [
      ' 259 0 nvme0n1 1 0 8 1 1 0 8 1 0 2 2', // good, 14 fields
      'garbage line',
      ' 259 1 nvme1n1 1 0 8 1 1 0 8 1 0 2 2 0', // 15 fields
      ' 259 2 nvme2n1 1 0 x8 1 1 0 8 1 0 2 2', // not a number
      ' 259 3 nvme3n1 1 0 -8 1 1 0 8 1 0 2 2', // negative
      ' 259 4 nvme4n1 1 0 999999999999999999999 1 1 0 8 1 0 2 2', // 21 digits
      ' 259 5 nvme5n1 1 0 18446744073709551616 1 1 0 8 1 0 2 2', // 2^64
      ' 259 0 nvme0n1 9 9 9 9 9 9 9 9 9 9 9', // duplicate
      '',
    ].join('\n');
    const { records, problems } = parseDiskstats(text, '/proc/diskstats');
    assert.deepEqual(
      records.map((r) => r.device),
      ['nvme0n1'],
    );
    assert.equal(records[0]!.sectorsRead, 8);
    assert.equal(problems.length, 7);
    assert.match(problems[0]!, /^\/proc\/diskstats:2: expected 14, 18 or 20 fields, found 2$/);
    assert.match(problems[1]!, /^\/proc\/diskstats:3: expected 14, 18 or 20 fields, found 15$/);
    assert.match(problems[2]!, /^\/proc\/diskstats:4: nvme2n1: field 6 is not an unsigned integer/);
    assert.match(problems[3]!, /^\/proc\/diskstats:5: nvme3n1: field 6 is not an unsigned integer/);
    assert.match(problems[4]!, /^\/proc\/diskstats:6: nvme4n1: field 6 is not an unsigned integer/);
    assert.match(problems[5]!, /^\/proc\/diskstats:7: nvme5n1: field 6 exceeds 64 bits/);
    assert.match(problems[6]!, /^\/proc\/diskstats:8: nvme0n1 appears more than once/);
  });

  it('accepts CRLF line ends, tabs and an empty input', () => {
    const { records, problems } = parseDiskstats(' 259\t0\tnvme0n1 1 0 8 1 1 0 8 1 0 2 2\r\n', 'd');
    assert.deepEqual(problems, []);
    assert.equal(records[0]!.weightedIoTimeMs, 2);
    assert.deepEqual(parseDiskstats('', 'd'), { records: [], problems: [] });
  });

  it('quotes at most 40 characters of a hostile field', () => {
    const long = 'z'.repeat(10_000);
    const { problems } = parseDiskstats(` 259 0 nvme0n1 1 0 ${long} 1 1 0 8 1 0 2 2`, 'd');
    assert.equal(problems.length, 1);
    assert.ok(problems[0]!.length < 120);
  });
});

describe('isNvmeNamespace', () => {
  it('accepts namespaces and rejects partitions, controllers and paths', () => {
    for (const name of ['nvme0n1', 'nvme12n3', 'nvme0n10']) assert.equal(isNvmeNamespace(name), true, name);
    for (const name of ['nvme0n1p1', 'nvme0c0n1', 'nvme0', 'nvme0n', 'sda', 'xnvme0n1', 'nvme0n1 ']) {
      assert.equal(isNvmeNamespace(name), false, name);
    }
  });
});
