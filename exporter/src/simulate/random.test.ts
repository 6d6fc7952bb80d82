import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { hashInts, hashString, mulberry32, randomHex, unitNoise } from './random.js';

describe('mulberry32', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const sa = Array.from({ length: 5 }, a);
    assert.deepEqual(Array.from({ length: 5 }, b), sa);
    assert.notDeepEqual(Array.from({ length: 5 }, c), sa);
  });

  it('gives a known first value, so the sequence never changes across versions', () => {
    // A scenario's UUIDs and serials depend on this sequence: changing it would rename every GPU.
    assert.equal(mulberry32(1)(), 0.6270739405881613);
    assert.equal(mulberry32(0)(), 0.26642920868471265);
  });

  it('stays in [0, 1) with a roughly uniform mean', () => {
    const next = mulberry32(7);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = next();
      assert.ok(v >= 0 && v < 1);
      sum += v;
    }
    assert.ok(Math.abs(sum / 100_000 - 0.5) < 0.01);
  });
});

describe('unitNoise', () => {
  it('is a pure function of its keys', () => {
    assert.equal(unitNoise(1, 2, 3, 4), unitNoise(1, 2, 3, 4));
    assert.notEqual(unitNoise(1, 2, 3, 4), unitNoise(1, 2, 3, 5));
    assert.notEqual(unitNoise(1, 2, 3, 4), unitNoise(4, 3, 2, 1));
  });

  it('spreads neighbouring keys over [0, 1)', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 50_000; i++) {
      const v = unitNoise(99, i, 0, 1);
      assert.ok(v >= 0 && v < 1);
      buckets[Math.floor(v * 10)]!++;
    }
    for (const count of buckets) assert.ok(count > 4500 && count < 5500, `bucket ${count}`);
  });
});

describe('hashes', () => {
  it('hash strings and integers stably', () => {
    assert.equal(hashString(''), 0x811c9dc5);
    assert.equal(hashString('a'), 0xe40c292c);
    assert.equal(hashInts(1, 2), hashInts(1, 2));
    assert.notEqual(hashInts(1, 2), hashInts(2, 1));
  });

  it('draws hex digits', () => {
    const hex = randomHex(mulberry32(5), 32);
    assert.match(hex, /^[0-9a-f]{32}$/);
  });
});
