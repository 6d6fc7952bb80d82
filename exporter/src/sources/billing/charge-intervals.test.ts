import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChargeIntervals, unionLength, windowTotals } from './charge-intervals.js';

const H = 3_600_000;

function intervals(rows: [number, number, number, boolean?][]): ChargeIntervals {
  const set = new ChargeIntervals();
  for (const [start, end, cost, usage] of rows) set.add(start * H, end * H, cost, usage ?? true);
  return set;
}

describe('union of charge periods', () => {
  it('counts overlapping periods once', () => {
    // [0,2) ∪ [1,3) ∪ [5,6) = 3 h + 1 h
    const u = unionLength(new Float64Array([0, 1, 5].map((h) => h * H)), new Float64Array([2, 3, 6].map((h) => h * H)));
    assert.equal(u, 4 * H);
  });

  it('joins touching periods and handles nesting and duplicates', () => {
    const u = unionLength(
      new Float64Array([0, 1, 1, 0, 10].map((h) => h * H)),
      new Float64Array([1, 2, 2, 2, 10].map((h) => h * H)),
    );
    assert.equal(u, 2 * H);
  });

  it('is zero without intervals', () => {
    assert.equal(unionLength(new Float64Array(0), new Float64Array(0)), 0);
  });
});

describe('window totals', () => {
  it('sums cost but unions hours over several line items', () => {
    // Three line items for the same two hours: compute 10+10, a commitment share 5+5, support 1+1.
    const set = intervals([
      [0, 1, 10],
      [1, 2, 10],
      [0, 1, 5],
      [1, 2, 5],
      [0, 1, 1],
      [1, 2, 1],
    ]);
    const t = windowTotals([set], 0, 100 * H);
    assert.equal(t.cost, 32);
    assert.equal(t.usageCoveredMs, 2 * H);
    assert.equal(t.coveredMs, 2 * H);
  });

  it('counts a charge straddling the window edge pro rata', () => {
    // 24 h at 48 $; the window keeps its last 6 h → 12 $.
    const set = intervals([[0, 24, 48]]);
    const t = windowTotals([set], 18 * H, 30 * H);
    assert.equal(t.cost, 12);
    assert.equal(t.usageCoveredMs, 6 * H);
  });

  it('keeps cost-only rows out of usage hours', () => {
    const set = intervals([
      [0, 10, 100],
      [0, 720, 7.2, false], // a monthly tax line
    ]);
    const t = windowTotals([set], 0, 720 * H);
    assert.equal(t.cost, 107.2);
    assert.equal(t.usageCoveredMs, 10 * H);
    assert.equal(t.coveredMs, 720 * H);
  });

  it('counts instant charges in the window that contains them', () => {
    const set = intervals([
      [5, 5, 3],
      [50, 50, 1000],
      [0, 10, 10],
    ]);
    const t = windowTotals([set], 0, 10 * H);
    assert.equal(t.cost, 13);
    assert.equal(t.usageCoveredMs, 10 * H);
  });

  it('merges a node spread over several files', () => {
    const jan = intervals([[0, 2, 4]]);
    const feb = intervals([[1, 4, 6]]);
    const t = windowTotals([jan, feb], 0, 10 * H);
    assert.equal(t.cost, 10);
    assert.equal(t.usageCoveredMs, 4 * H);
  });
});

describe('ChargeIntervals storage', () => {
  it('grows past its initial capacity', () => {
    const set = new ChargeIntervals();
    for (let h = 0; h < 1000; h++) set.add(h * H, (h + 1) * H, 1, true);
    assert.equal(set.length, 1000);
    assert.equal(windowTotals([set], 0, 1000 * H).cost, 1000);
  });

  it('drops charges older than the window instead of growing', () => {
    const set = new ChargeIntervals();
    for (let h = 0; h < 10_000; h++) set.add(h * H, (h + 1) * H, 1, true, (h - 24) * H);
    assert.ok(set.length < 100, `kept ${set.length}`);
    const t = windowTotals([set], (10_000 - 24) * H, 10_000 * H);
    assert.equal(t.cost, 24);
    assert.equal(t.usageCoveredMs, 24 * H);
  });

  it('prunes on request', () => {
    const set = intervals([
      [0, 1, 1],
      [1, 2, 1],
      [2, 3, 1],
    ]);
    set.prune(2 * H);
    assert.equal(set.length, 2); // [1,2) ends at the bound and is kept
    set.prune(2.5 * H);
    assert.equal(set.length, 1);
  });
});
